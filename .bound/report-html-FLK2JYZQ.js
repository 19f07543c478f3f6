import{aq as renderReportHtml}from"./main.js";export{renderReportHtml};
//# sourceMappingURL=report-html-FLK2JYZQ.js.map
