export { httpAsk, rawExchange, type HttpAnswer, type HttpAsk, type HttpTarget } from "./http-target.js";
export { addressesSettled, filesDigest, kernelState, peakRss } from "./node-state.js";
export { proceduresOf, type ProcedureShape } from "./procedures.js";
export { rawOddities, type RawOddity } from "./raw-oddities.js";
export { inputsFor } from "./schema-arbitrary.js";
export { callProcedure, HTTP_LAYER_REFUSALS, trpcError, type CallOptions, type ProcedureType, type TrpcErrorBody } from "./trpc-call.js";
export { judgeAnswer, type Judged } from "./judge-answer.js";
