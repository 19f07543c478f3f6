export{c as createOpenAIChatFacade,t as toOpenAIModel}from"./chunk-VETUFPZX.js";import"./main.js";import"./chunk-ONPBESBA.js";
//# sourceMappingURL=openai-facade-5E26PCLT.js.map
