/** Positions are 1-based; `endColumn` points one past the last character, as in ESLint. */
export interface Span {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Severity = 'error' | 'warning';
export type RuleSeverity = Severity | 'off';

/** A second place a cross-file finding concerns ("tomcat1 binds it here"). */
export interface RelatedLocation {
  span: Span;
  message?: string;
}

/** A text edit on one file. Offsets index the decoded text of the file. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  description: string;
  edits: TextEdit[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  span: Span;
  related: RelatedLocation[];
  fix?: Fix;
}

/** What a rule hands to `report`; the rule's default severity applies unless it names one. */
export interface ReportDescriptor {
  span: Span;
  message: string;
  related?: RelatedLocation[];
  /** A weaker or stronger verdict for this one finding (e.g. a warning resting on the unknown-host assumption). */
  severity?: Severity;
  fix?: Fix;
}

export type Report = (finding: ReportDescriptor) => void;

/** A problem a parser met, before any rule runs. Becomes a `parse-error` finding. */
export interface ParseProblem {
  message: string;
  span: Span;
}

export interface LineComment {
  /** Comment text without the comment markers, trimmed. */
  text: string;
  span: Span;
}
