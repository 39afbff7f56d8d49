export { httpAsk, rawExchange, type HttpAnswer, type HttpAsk, type HttpTarget } from "./http-target.js";
export { filesDigest, kernelState, peakRss } from "./node-state.js";
export { proceduresOf, type ProcedureShape } from "./procedures.js";
export { rawOddities } from "./raw-oddities.js";
export { HUGE_STRING, hostileValue, inputJson, inputsFor } from "./schema-arbitrary.js";
export { callProcedure, trpcError, type ProcedureType, type TrpcErrorBody } from "./trpc-call.js";
