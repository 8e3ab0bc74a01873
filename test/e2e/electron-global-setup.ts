/**
 * Global setup of the Electron suite: says loudly, once, when the suite cannot run here, and
 * leaves the reason in the environment for the fixtures (which skip each test with it).
 */
import { electronAvailability } from './hosts/electron-host';

export default function globalSetup(): void {
  const { available, reason } = electronAvailability();
  if (available) {
    process.stderr.write(`Electron suite: running against ${reason}\n`);
    return;
  }
  process.env.MODELPILOT_ELECTRON_SKIPPED = reason;
  const bar = '!'.repeat(78);
  process.stderr.write(
    [
      '',
      bar,
      `!!! ELECTRON SUITE SKIPPED: ${reason}`,
      '!!!',
      '!!! Every spec below is reported as skipped; nothing was tested in Electron.',
      '!!! To run it on a machine where an Electron binary exists:',
      '!!!   npm ci                       (downloads Electron 45 on first run of electron)',
      '!!!   npx electron --version       (checks the binary is there)',
      '!!!   xvfb-run -a npm run test:electron   (Linux without a desktop; plain npm run test:electron elsewhere)',
      '!!! Or point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron 45 directory.',
      bar,
      '',
    ].join('\n'),
  );
}
