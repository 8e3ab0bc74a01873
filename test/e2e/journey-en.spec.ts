import { expect, test } from './fixtures';
import { runJourney } from './journey';

test('journey in English: from "route support tickets" to an exported model that meets its targets', async ({ app, home }) => {
  test.setTimeout(240_000);
  await runJourney(app, home, {
    locale: 'en',
    sampleId: 'support-tickets-en',
    goal: 'Route every new support ticket to the right team within a minute, so customers get answers sooner.',
    use: 'The ticket goes straight into that team’s queue; an agent can move it if it is wrong.',
    focus: 'billing',
    sheetTarget: 'Recall of “billing” at least 0.9',
  });
  await expect(app.errorBanner).toHaveCount(0);
});
