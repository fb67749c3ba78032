import t from 'tap';
import { KEYMAP } from '../../tui/keymap.js';
import { routeKey, type KeyPress } from '../../tui/keyRouter.js';
import { EntitySampler } from '../../tui/entitySampler.js';
import type { PluginRole } from '../../plugin/pluginRole.js';

const k = (full: string, name = full, ch?: string): KeyPress => ({ full, name, ch });

t.test('main screen: every KEYMAP key routes to its action; PgUp/PgDn scroll the log', async (t) => {
  for (const b of KEYMAP) {
    if (b.action === 'scrollLog') continue;
    for (const key of b.keys) {
      const r = routeKey('main', k(key));
      if (key === 'C-c') t.same(r, { to: 'quit' });
      else t.same(r, { to: 'action', action: b.action }, key);
    }
  }
  t.same(routeKey('main', k('pageup')), { to: 'scrollLog', direction: -1 });
  t.same(routeKey('main', k('pagedown')), { to: 'scrollLog', direction: 1 });
  t.same(routeKey('main', k('z')), { to: 'none' });
});

t.test('overlays read keys their own way', async (t) => {
  t.same(routeKey('help', k('x')), { to: 'close' }, 'any key closes the help');
  t.same(routeKey('menu', k('escape')), { to: 'close' });
  t.same(routeKey('menu', k('q')), { to: 'close' });
  t.same(routeKey('menu', k('r')), { to: 'menuItem', key: 'r' });
  t.same(routeKey('form', k('q')), { to: 'form', key: k('q') }, 'q types into the form, it does not quit');
  t.same(routeKey('port', k('enter')), { to: 'portEnter' });
  t.same(routeKey('port', k('escape')), { to: 'close' });
  t.same(routeKey('port', k('5', '5', '5')), { to: 'portEdit', key: k('5', '5', '5') });
  for (const mode of ['main', 'help', 'menu', 'form', 'port'] as const) t.same(routeKey(mode, k('C-c', 'c')), { to: 'quit' }, `Ctrl-C quits from ${mode}`);
});

t.test('entity sampler: walks the store only when the count changed and the sample is old', async (t) => {
  let count = 3;
  let walks = 0;
  const role = {
    entities: {
      count: () => count,
      *entities() {
        walks++;
        for (let i = 1; i <= count; i++) yield { id: `SC-${i}`, name: `n${i}`, sipassId: `CH-${i}` };
      },
    },
  } as unknown as PluginRole;
  let now = 0;
  const s = new EntitySampler(role, () => now, 2000);
  t.equal(s.entitiesOf('r', 'cardholder', 2).length, 2, 'at most the limit');
  s.entitiesOf('r', 'cardholder', 2);
  t.equal(walks, 1, 'same count: cached');
  count = 4;
  now = 1000;
  s.entitiesOf('r', 'cardholder', 2);
  t.equal(walks, 1, 'count changed but sampled under 2s ago: cached');
  now = 2500;
  s.entitiesOf('r', 'cardholder', 2);
  t.equal(walks, 2, 'count changed and the sample is old: walked again');
  s.forget('r/cardholder');
  s.entitiesOf('r', 'cardholder', 2);
  t.equal(walks, 3, 'forgotten: walked again');
});
