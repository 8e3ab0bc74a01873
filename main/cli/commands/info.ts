import { probeLadder } from '../../core/backends/ladder';
import { readPackageMeta } from '../../core/app-meta';
import { resolveHome } from '../../core/home';
import type { Command } from '../command';

export const infoCommand: Command = {
  name: 'info',
  summary: 'show the version, the projects folder and the compute backends',
  usage: 'modelpilot info [--json]',
  options: { json: { type: 'boolean' } },
  async run({ values }, io) {
    const ladder = probeLadder();
    const info = { version: readPackageMeta().version, home: resolveHome(), selectedBackend: ladder.selected, backends: ladder.rungs };
    if (values.json) {
      io.out(JSON.stringify(info));
      return 0;
    }
    io.out(`ModelPilot ${info.version}`);
    io.out(`projects folder: ${info.home}`);
    for (const rung of ladder.rungs) {
      const mark = rung.id === ladder.selected ? '*' : rung.available ? '+' : '-';
      io.out(` ${mark} ${rung.id.padEnd(14)} ${rung.reason}${rung.detail ? ` (${rung.detail})` : ''}`);
    }
    return 0;
  },
};
