/**
 * journal — the spine of a run. Components emit typed records; the UI streams them, checks evaluate
 * them, reporters summarise them and a saved run is its journal as NDJSON. No component reads
 * another's internals: what must be seen or asserted becomes a record type here.
 */
export type { JournalEvent, JournalRecord, JournalType, RecordOf, EmulatorEvent, EngineEvent, FaultEvent, ConsumerEvent, RunEvent, AttemptSummary, RecordFieldError, Stamped } from "./records.js";
export { Journal, createJournal } from "./bus.js";
export { JOURNAL_TYPES } from "./records.js";
export type { JournalListener, JournalClock, JournalOptions } from "./bus.js";
export { writeJournalTo, readJournal } from "./ndjson.js";
export type { JournalWriter, JournalWriterOptions } from "./ndjson.js";
export { DurableLog } from "./durable-log.js";
export type { DurableLogOptions } from "./durable-log.js";
