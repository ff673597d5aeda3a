/**
 * The address format's version, written into every link. 3: a setting left out takes the opening race's value
 * (the collapsed start). 2: left-out settings took the schema's defaults (output prior 0.5, no clipping), and are
 * read that way still. 1: as 2, and `speed` was steps per frame of an assumed 60 Hz display (links without a
 * version, typed by hand, keep that reading of `speed`).
 */
export const URL_VERSION = '3';
