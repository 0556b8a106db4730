// Packet capture, in one import for the extension host and the CLI. (Browser code imports
// './types', './frameParser' or './frameBatcher' directly: they have no Node imports; this
// file pulls in the session, which has.)
export * from './types';
export { startCapture, CaptureSession, CaptureError, DEFAULT_PCAP_MEGABYTES, DEFAULT_KEEP_PCAP_SECONDS, type CaptureOptions, type CaptureExec, type Listening } from './captureSession';
export { FrameBatcher, realScheduler, DEFAULT_BATCH_INTERVAL_MS, DEFAULT_MAX_LINES_PER_SECOND, DEFAULT_MAX_QUEUED_LINES, type FrameBatch, type FrameBatcherOptions, type BatchScheduler } from './frameBatcher';
export { FrameReader, parseFrame, parseFrames } from './frameParser';
export { PcapGuard, PcapFormatError, type PcapSummary } from './pcap';
export { CaptureArgumentError, tcpdumpArgs, tcpdumpOptionsProblem, type TcpdumpOptions } from './tcpdumpCommand';
