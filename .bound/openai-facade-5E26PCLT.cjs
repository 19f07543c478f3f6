"use strict";var chunkVETUFPZX=require("./chunk-VETUFPZX.cjs");require("./main.cjs");require("./chunk-ONPBESBA.cjs");exports.createOpenAIChatFacade=chunkVETUFPZX.createOpenAIChatFacade;exports.toOpenAIModel=chunkVETUFPZX.toOpenAIModel;
//# sourceMappingURL=openai-facade-5E26PCLT.cjs.map
