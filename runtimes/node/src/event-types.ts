// The event as spec/event.schema.json defines it.

export type Level = 'fatal' | 'error' | 'warning' | 'info';

export interface Frame {
  file: string;
  line: number;
  col: number;
  fn: string;
  in_app: boolean;
}

export interface CodeContext {
  file: string;
  error_line: number;
  lines: string[];
  start_line?: number;
}

export interface Cause {
  relation: 'cause' | 'context' | 'group';
  type: string;
  message: string;
  stack: Frame[];
}

export interface PixelEvent {
  event_id: string;
  project_key: string;
  fingerprint: string;
  type: string;
  message: string;
  stack: Frame[];
  code_context: CodeContext | null;
  runtime: string;
  manual_report: boolean;
  level: Level;
  occurred_at: string;
  cause?: Cause[];
  environment?: string | null;
  release?: string | null;
  context?: Record<string, unknown>;
  sdk?: { name: string; version: string };
}
