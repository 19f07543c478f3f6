"use strict";var main=require("./main.cjs");exports.renderReportHtml=main.renderReportHtml;
//# sourceMappingURL=report-html-FLK2JYZQ.cjs.map
