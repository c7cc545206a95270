/**
 * Detection for install: turns `detect()`'s answer into a Project, asking the user when
 * detection offers a choice (TTY only) and otherwise failing with exit 2 naming the flag.
 */
import { resolve } from 'node:path';
import { detect, type DetectOptions } from '../detectors/index.js';
import { CliError, ExitCode } from '../exit-codes.js';
import type { Project } from '../project.js';
import { select } from './terminal.js';

export async function findProject(cwd: string, given: DetectOptions, interactive: boolean): Promise<Project> {
  let dir = resolve(cwd);
  let options = { ...given };
  // Each answer narrows the options; a handful of rounds covers runtime, package manager and entry.
  for (let round = 0; round < 5; round += 1) {
    const detection = await detect(dir, options);
    if (detection.kind === 'project') return detection.project;
    if (detection.kind === 'nothing') {
      const browser = detection.browserApps ?? [];
      throw new CliError(
        browser.length > 0 ? `nothing to instrument in ${dir}: ${browser.join('; ')}` : `nothing to instrument in ${dir}`,
        ExitCode.nothingToInstrument,
        `looked for: ${detection.looked.join('; ')}\nrun it in a Node or Python project, or pass --cwd <dir>`,
      );
    }
    if (!interactive && detection.unconfirmed) {
      throw new CliError(
        `no file that the project is known to run: ${detection.evidence.join('; ')}`,
        ExitCode.nothingToInstrument,
        'pass --entry <file> with the file your app starts from (ez-pixel never wires a file nothing runs); nothing was changed',
      );
    }
    if (!interactive) {
      const choices = detection.choices.map((choice) => `  ${choice.label}  (${choice.hint})`).join('\n');
      throw new CliError(`${detection.question} Pass ${detection.flag} to choose.`, ExitCode.usage, `${choices}\n${detection.evidence.join('\n')}`);
    }
    const picked = await select(
      detection.question,
      detection.choices.map((choice) => ({ label: choice.label, hint: choice.hint, value: choice.options })),
    );
    const { cwd: chosenDir, ...rest } = picked;
    if (chosenDir) dir = resolve(dir, chosenDir);
    options = { ...options, ...rest };
  }
  throw new CliError('detection kept asking; pass --runtime, --pm and --entry explicitly', ExitCode.usage);
}
