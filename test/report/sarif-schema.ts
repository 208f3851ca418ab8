import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

// Both are CommonJS with `exports.default`; under NodeNext the default import is the module object.
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;

/** The official SARIF 2.1.0 schema (draft-04), copied from oasis-tcs/sarif-spec so a fresh clone has it. */
export const SARIF_SCHEMA_FILE = join(import.meta.dirname, '..', 'schemas', 'sarif-schema-2.1.0.json');

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA_FILE, 'utf8')));

/** Undefined when the log is valid SARIF 2.1.0, else the schema errors. */
export function sarifErrors(log: unknown): string | undefined {
  return validate(log) ? undefined : ajv.errorsText(validate.errors);
}
