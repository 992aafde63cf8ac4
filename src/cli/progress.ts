import cliProgress from 'cli-progress';

/** A progress display: a bar on a TTY, nothing otherwise (or when output is JSON). */
export interface Progress {
  readonly update: (done: number, total?: number) => void;
  readonly stop: () => void;
}

/**
 * A progress bar on stderr when it is a terminal and the command prints text; silent
 * otherwise, so pipes and `--json` output stay clean.
 */
export function createProgress(label: string, quiet: boolean): Progress {
  if (quiet || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label} {bar} {value}{totalText}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let stopped = false;
  return {
    update(done, total) {
      if (stopped) return;
      if (!started) {
        bar.start(total ?? 0, 0, { totalText: '' });
        started = true;
      }
      if (total !== undefined) bar.setTotal(total);
      bar.update(done, { totalText: total !== undefined ? ` / ${total}` : ' rows' });
    },
    stop() {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}
