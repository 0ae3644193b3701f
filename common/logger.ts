import { logLevel, type LogLevel } from './env.js';

/** Minimal structured logger: one line per event, `level source message key=value…`. */
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
type Level = Exclude<LogLevel, 'silent'>;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function threshold(): number {
  return LEVELS[logLevel()];
}

export function createLogger(source: string): Logger {
  const write = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < threshold()) return;
    const extra = fields
      ? ' ' +
        Object.entries(fields)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ')
      : '';
    (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(
      `${new Date().toISOString()} ${level.toUpperCase()} [${source}] ${message}${extra}\n`,
    );
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
