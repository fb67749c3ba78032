// Property 1 (R3, R6): port validation, and convergence over generated port changes on either side.
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import t from 'tap';
import { SimulatedClock } from '../../core/clock.js';
import type { Step } from '../../harness/scenario/scenario.js';
import { ApplyRejectedError } from '../../plugin/config/configProblem.js';
import { validatePort } from '../../plugin/config/validatePort.js';
import { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import { createPluginRole } from '../../plugin/createPluginRole.js';
import { fcAssert } from '../helpers/fcRun.js';
import { assertScenarioProperty, checkScenario, scenario, step } from './scenarioFailure.js';

const validPort = fc.integer({ min: 1, max: 65535 });

const whitespace = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r'), minLength: 1, maxLength: 4 });
const invalidPort: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ max: 0 }),
  fc.integer({ min: 65536 }),
  fc.constantFrom(0, -1, 65536, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5645.5, 0.5, 65535.0001),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((d) => !Number.isInteger(d)),
  // Strings: out-of-range digits, fractions, signs, hex/exponent forms, padded, non-numeric, empty, whitespace.
  fc.integer({ min: 65536, max: 2 ** 40 }).map(String),
  fc.constantFrom('0', '00', '', '5645.5', '-1', '+5645', '0x1F', '1e3', 'abc', ' 5645', '5645 ', '56 45', 'Infinity', 'NaN'),
  whitespace,
  fc.tuple(validPort, whitespace, fc.boolean()).map(([p, w, before]) => (before ? `${w}${p}` : `${p}${w}`)),
  fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !/^[0-9]+$/.test(s)),
  fc.constantFrom(true, false, [5645], { port: 5645 }),
);

/** A role that never reaches any server (its dials hang), for Apply-only checks. */
function idleRole(): { role: ReturnType<typeof createPluginRole>; sc: SecurityCenter } {
  const sc = new SecurityCenter();
  const role = createPluginRole(sc, 'SiPass plugin', { clock: new SimulatedClock(0), connector: () => new PassThrough() });
  return { role, sc };
}

t.test('R3: every integer 1..65535 and its decimal string is accepted and normalised', async (t) => {
  await fcAssert(
    t,
    fc.property(validPort, fc.boolean(), (p, asString) => {
      const v = validatePort(asString ? String(p) : p);
      if (!v.ok || v.port !== p) throw new Error(`port ${JSON.stringify(asString ? String(p) : p)} gave ${JSON.stringify(v)}`);
      const { role } = idleRole();
      try {
        const c = role.apply({ host: '127.0.0.1', port: asString ? String(p) : p });
        if (c.port !== p || role.config?.port !== p) throw new Error(`Apply normalised ${JSON.stringify(p)} to ${String(c.port)}`);
      } finally {
        role.stop();
      }
    }),
    { numRuns: 200 },
  );
  t.pass('held');
});

t.test('R3/R6: any other port is rejected naming the Port field, the previous config untouched', async (t) => {
  await fcAssert(
    t,
    fc.property(validPort, invalidPort, fc.boolean(), (prevPort, bad, withOther) => {
      if (validatePort(bad).ok) throw new Error(`${JSON.stringify(bad)} was accepted by validatePort`);
      const { role } = idleRole();
      try {
        role.apply({ host: '127.0.0.1', port: prevPort, alarmRecipients: [], alarmPartitions: [] });
        const before = JSON.stringify(role.config);
        const stateBefore = role.snapshot().detail;
        let err: unknown;
        try {
          role.apply(withOther ? { port: bad, credentialSync: true } : { port: bad });
        } catch (e) {
          err = e;
        }
        if (!(err instanceof ApplyRejectedError)) throw new Error(`port ${JSON.stringify(bad)} was not rejected (${String(err)})`);
        const fields = err.problems.map((p) => p.field);
        if (JSON.stringify(fields) !== '["port"]') throw new Error(`rejection named ${JSON.stringify(fields)}`);
        if (!err.message.includes('Port')) throw new Error(`message does not name the Port field: ${err.message}`);
        if (JSON.stringify(role.config) !== before) throw new Error(`config changed: ${before} -> ${JSON.stringify(role.config)}`);
        if (role.snapshot().detail !== stateBefore) throw new Error('state changed on a rejected Apply');
      } finally {
        role.stop();
      }
    }),
    { numRuns: 300 },
  );
  t.pass('held');
});

type Change = { side: 'role' | 'server'; port: number } | { side: 'block' } | { side: 'unblock' };

const PORTS = [5645, 5646, 5647];
const change: fc.Arbitrary<Change> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ side: fc.constantFrom('role' as const, 'server' as const), port: fc.constantFrom(...PORTS) }) },
  { weight: 1, arbitrary: fc.constantFrom<Change>({ side: 'block' }, { side: 'unblock' }) },
);

/** Back-off cap (30s) + jitter (20%) + connect timeout (5s) + a handshake and a small sync. */
const CONVERGE_MS = 60_000;

/** What the role must show once the ports and the block are as given. */
function expectations(rolePort: number, serverPort: number, blocked: boolean): Step[] {
  if (rolePort === serverPort && !blocked) {
    return [step({ kind: 'expect', expect: { state: 'ready', within: CONVERGE_MS } }), step({ kind: 'expect', expect: { converged: true, lastError: null } })];
  }
  // Refused (nothing listens there) and blocked (dropped) are reported differently.
  const lastError = rolePort !== serverPort ? { code: 'ROLE_CONNECT_REFUSED', message: `refused on 127.0.0.1:${rolePort}` } : { code: 'ROLE_CONNECT_TIMEOUT', message: 'blocked' };
  return [
    step({ kind: 'expect', expect: { state: 'connecting', lastError, within: 2 * CONVERGE_MS } }),
    step({ kind: 'wait', ms: 90_000 }),
    step({ kind: 'expect', expect: { state: 'connecting', lastError } }),
  ];
}

t.test('R3: ready exactly when the role and server ports are equal; converges once they match, after any sequence of changes', async (t) => {
  await assertScenarioProperty(
    t,
    'r3-ports',
    fc.asyncProperty(fc.constantFrom(...PORTS), fc.constantFrom(...PORTS), fc.array(change, { maxLength: 4 }), fc.nat(1000), async (rolePort0, serverPort0, changes, seed) => {
      let rolePort = rolePort0;
      let serverPort = serverPort0;
      let blocked = false;
      const steps: Step[] = expectations(rolePort, serverPort, blocked);
      for (const c of changes) {
        if (c.side === 'role') {
          rolePort = c.port;
          steps.push(step({ kind: 'apply', input: { port: c.port } }));
        } else if (c.side === 'server') {
          serverPort = c.port;
          steps.push(step({ kind: 'serverPort', port: c.port }));
        } else if (c.side === 'block') {
          blocked = true;
          steps.push(step({ kind: 'blockPort' }));
        } else {
          blocked = false;
          steps.push(step({ kind: 'unblockPort' }));
        }
        steps.push(...expectations(rolePort, serverPort, blocked));
      }
      await checkScenario(
        scenario({
          name: 'R3 port changes on either side (generated)',
          rules: ['R3'],
          seed: seed + 1,
          population: { seed: seed + 1, alarmClasses: 1, cardholders: 5 },
          server: { host: '127.0.0.1', names: [], port: serverPort0, syncRate: 0, batchSize: 500 },
          plugin: { port: rolePort0 },
          invariants: ['readyMeansComplete'],
          steps,
        }),
      );
    }),
    { numRuns: 15 },
  );
  t.pass('held');
});
