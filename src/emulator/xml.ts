// escapeXml lives in src/sqs (the SQS error wire form needs it, and sqs imports nothing of ours); the
// emulator's query and STS codecs keep importing it from here.
export { escapeXml } from "../sqs/index.js";
