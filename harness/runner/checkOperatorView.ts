import type { PluginRole } from '../../plugin/pluginRole.js';
import { cardholderProperties } from '../../plugin/securitycenter/cardholderProperties.js';
import type { Scalar, SiPassType } from '../../protocol/sipassTypes.js';
import type { Expectation } from '../scenario/scenario.js';
import type { Mismatch } from './results.js';
import { findAlarm, type World } from './checkExpectation.js';

const fmt = (ms: number): string => `${Math.round(ms)}ms`;

/**
 * The expectations issue 12 added: what the Properties, Synchronization and Security Desk views
 * show (health, attempts, retries, back-off, progress, last sync, connections), R13 commands and
 * SiPass's activity trail, R14 cardholder properties and custom fields, R15 count comparison, the
 * role's lifecycle, alarm priority and remembered SC ids.
 */
export function checkOperatorView(w: World, e: Expectation, role: PluginRole | null, now: number): Mismatch[] {
  const out: Mismatch[] = [];
  const push = (what: string, expected: unknown, actual: unknown): void => {
    out.push({ what, expected, actual });
  };
  if (e.roleExists !== undefined) {
    const name = e.role ?? role?.name;
    const exists = name !== undefined && w.sc.hasRole(name);
    if (exists !== e.roleExists) push(`role "${name ?? '?'}" exists`, e.roleExists, exists);
  }
  const r = role;
  const needRole = (what: string): boolean => {
    if (!r) push(what, 'a plugin role', 'no role');
    return r !== null;
  };
  // Used only after needRole() said there is one.
  const R = r as PluginRole;
  if (e.active !== undefined && needRole('active') && R.active !== e.active) push('role active', e.active, R.active);
  const snap = r?.snapshot();
  if (e.health !== undefined && needRole('health') && snap?.health !== e.health) push('role health', e.health, snap?.health);
  if (e.attempt !== undefined && needRole('attempt') && snap?.attempt !== e.attempt) push('connection attempts since ready', e.attempt, snap?.attempt);
  if (e.nextRetry && needRole('nextRetry') && snap) {
    const at = snap.nextRetryAt;
    if (e.nextRetry.none) {
      if (at !== null) push('next retry', 'none', `in ${fmt(at - now)}`);
    } else if (at === null) push('next retry', 'scheduled', 'none');
    else {
      const inMs = at - now;
      if (e.nextRetry.atLeast !== undefined && inMs < e.nextRetry.atLeast) push('next retry in', `>= ${fmt(e.nextRetry.atLeast)}`, fmt(inMs));
      if (e.nextRetry.atMost !== undefined && inMs > e.nextRetry.atMost) push('next retry in', `<= ${fmt(e.nextRetry.atMost)}`, fmt(inMs));
    }
  }
  if (e.backoff && needRole('backoff')) {
    const h = R.backoffHistory();
    const shown = h.map(fmt).join(', ');
    if (e.backoff.count !== undefined && h.length !== e.backoff.count) push('back-off intervals waited', e.backoff.count, `${h.length} (${shown})`);
    if (e.backoff.atLeast !== undefined && h.some((x) => x < (e.backoff?.atLeast ?? 0))) push('every back-off interval', `>= ${fmt(e.backoff.atLeast)}`, shown);
    if (e.backoff.atMost !== undefined && h.some((x) => x > (e.backoff?.atMost ?? Infinity))) push('every back-off interval', `<= ${fmt(e.backoff.atMost)}`, shown);
    if (e.backoff.grows) {
      // Exponential with jitter: each interval at least the one two before it until the cap.
      const cap = e.backoff.atMost ?? Math.max(...h);
      const bad = h.findIndex((x, i) => i >= 2 && x < (h[i - 2] ?? 0) && (h[i - 2] ?? 0) < cap * 0.9);
      if (h.length < 3 || bad >= 0) push('back-off grows until the cap', true, shown || 'no interval');
    }
  }
  if (e.progress && needRole('progress') && snap) {
    const p = snap.progress;
    if (e.progress.none) {
      if (p !== null && snap.state === 'syncing') push('sync progress', 'none (not syncing)', `${p.done}/${p.total}`);
    } else if (!p) push('sync progress', 'shown', 'none');
    else {
      if (e.progress.done !== undefined && p.done !== e.progress.done) push('sync progress done', e.progress.done, p.done);
      if (e.progress.total !== undefined && p.total !== e.progress.total) push('sync progress total', e.progress.total, p.total);
      for (const [t, want] of Object.entries(e.progress.perType ?? {})) {
        const got = p.perType[t as SiPassType];
        if (want.done !== undefined && got?.done !== want.done) push(`sync progress ${t} done`, want.done, got?.done ?? 'none');
        if (want.total !== undefined && got?.total !== want.total) push(`sync progress ${t} total`, want.total, got?.total ?? 'none');
      }
      if (e.progress.rateAbove !== undefined && !(p.rate > e.progress.rateAbove)) push('sync rate (entities/s)', `> ${e.progress.rateAbove}`, p.rate);
      if (e.progress.eta !== undefined && (p.etaMs !== null) !== e.progress.eta) push('sync ETA shown', e.progress.eta, p.etaMs);
    }
  }
  if (e.syncTab && needRole('syncTab') && snap) {
    const last = snap.lastSync;
    const ls = e.syncTab.lastSync;
    if (ls?.none) {
      if (last) push('last sync', 'none', `${last.mode} at ${fmt(last.endedAt)}`);
    } else if (ls || e.syncTab.counts) {
      if (!last) push('last sync', 'a sync', 'none');
      else {
        if (ls?.mode !== undefined && last.mode !== ls.mode) push('last sync mode', ls.mode, last.mode);
        if (ls?.atLeast !== undefined && last.endedAt < ls.atLeast) push('last sync ended at', `>= ${fmt(ls.atLeast)}`, fmt(last.endedAt));
        for (const [t, n] of Object.entries(e.syncTab.counts ?? {})) {
          const got = (last.counts as Record<string, number | undefined>)[t] ?? 0;
          if (got !== n) push(`Synchronization tab count of ${t}`, n, got);
        }
      }
    }
  }
  if (e.connections !== undefined && needRole('connections') && R.connections !== e.connections) push('connections completed', e.connections, R.connections);
  if (e.reconnected !== undefined && needRole('reconnected') && R.connections > 1 !== e.reconnected) push('the role reconnected', e.reconnected, `${R.connections} connections`);
  if (e.commands) {
    const list = w.sc.commands.list();
    if (e.commands.count !== undefined && w.sc.commands.count !== e.commands.count) push('commands run from Security Desk', e.commands.count, w.sc.commands.count);
    const want = e.commands.last;
    const last = list[list.length - 1];
    if (want) {
      if (!last) push('last command', want, 'none');
      else {
        for (const k of ['operator', 'action', 'result', 'via'] as const) if (want[k] !== undefined && last[k] !== want[k]) push(`last command ${k}`, want[k], last[k]);
        for (const k of ['cause', 'entity', 'detail'] as const) if (want[k] !== undefined && !(last[k] ?? '').includes(want[k] ?? '')) push(`last command ${k} contains`, want[k], last[k]);
      }
    }
  }
  if (e.activityTrail) {
    const trail = w.server.activityTrail;
    if (e.activityTrail.count !== undefined && trail.count !== e.activityTrail.count) push('SiPass activity trail entries', e.activityTrail.count, trail.count);
    const want = e.activityTrail.last;
    const list = trail.list();
    const last = list[list.length - 1];
    if (want) {
      if (!last) push('last activity trail entry', want, 'none');
      else {
        if (want.who !== undefined && last.who !== want.who) push('activity trail: who', want.who, last.who);
        if (want.what !== undefined && !last.what.includes(want.what)) push('activity trail: what contains', want.what, last.what);
        if (want.entity !== undefined && last.entity !== want.entity) push('activity trail: entity', want.entity, last.entity);
        if (want.result !== undefined && last.result !== want.result) push('activity trail: result', want.result, `${last.result}${last.reason ? ` (${last.reason})` : ''}`);
      }
    }
  }
  if (e.sipassEntity) {
    const rec = w.server.site.get(e.sipassEntity.type, e.sipassEntity.id);
    const label = `SiPass ${e.sipassEntity.type} ${e.sipassEntity.id}`;
    if (e.sipassEntity.absent) {
      if (rec) push(label, 'absent', 'present');
    } else if (!rec) push(label, 'present', 'absent');
    else for (const [k, v] of Object.entries(e.sipassEntity.fields ?? {})) if (rec[k] !== v) push(`${label} ${k}`, v, rec[k] ?? null);
  }
  if (e.cardholder && needRole('cardholder')) {
    const ch = R.entities.find(e.cardholder.id, 'cardholder');
    if (!ch) push(`cardholder ${e.cardholder.id}`, 'present', 'absent');
    else {
      const props = cardholderProperties(ch.fields);
      for (const group of ['definition', 'personal', 'vehicles', 'imaging', 'custom'] as const) {
        for (const [k, v] of Object.entries<Scalar>(e.cardholder[group] ?? {})) {
          const got = props[group][k];
          if (got !== v) push(`cardholder ${e.cardholder.id} ${group} ${k}`, v, got ?? null);
        }
      }
    }
  }
  if (e.customFields) {
    const missing = e.customFields.filter((f) => !w.sc.customFields.has(f));
    if (missing.length > 0) push('SC custom fields', e.customFields, [...w.sc.customFields]);
  }
  if (e.countsMatch !== undefined && needRole('countsMatch')) {
    const cred = R.config?.credentialSync ?? false;
    const diffs = Object.entries(w.server.site.totals())
        .map(([t, n]) => [t, t === 'credentials' && !cred ? 0 : n, R.entities.sourceCount(t as SiPassType)] as const)
      .filter(([, want, have]) => want !== have)
      .map(([t, want, have]) => `${t}: SC ${have}, SiPass ${want}`);
    if ((diffs.length === 0) !== e.countsMatch) push('entity counts SC vs SiPass match', e.countsMatch, diffs.join('; ') || 'all equal');
  }
  if (e.proxy && needRole('proxy')) {
    const told = R.proxy;
    if (!told) push('proxy announcement', e.proxy, 'no handshake yet');
    else {
      if (e.proxy.sdkVersion !== undefined && told.sdk !== e.proxy.sdkVersion) push('proxy SDK version', e.proxy.sdkVersion, told.sdk);
      if (e.proxy.diagnosticPort !== undefined && told.diagnosticPort !== e.proxy.diagnosticPort) push('proxy diagnostic server port', e.proxy.diagnosticPort, told.diagnosticPort);
      if (e.proxy.diagnosticWebPort !== undefined && told.diagnosticWebPort !== e.proxy.diagnosticWebPort) push('proxy diagnostic web port', e.proxy.diagnosticWebPort, told.diagnosticWebPort);
    }
  }
  if (e.alarm?.priority !== undefined) {
    const a = findAlarm(w, e, e.alarm.alarm);
    if (a && a.priority !== e.alarm.priority) push(`alarm ${e.alarm.alarm} priority`, e.alarm.priority, a.priority);
  }
  if (e.entity && (e.entity.rememberAs !== undefined || e.entity.sameIdAs !== undefined) && needRole('entity id')) {
    const ent = R.entities.find(e.entity.id, e.entity.type);
    if (ent && e.entity.rememberAs !== undefined) w.memory?.set(e.entity.rememberAs, ent.id);
    if (e.entity.sameIdAs !== undefined) {
      const was = w.memory?.get(e.entity.sameIdAs);
      if (was === undefined) push(`remembered id "${e.entity.sameIdAs}"`, 'remembered by an earlier rememberAs', 'never remembered');
      else if (ent?.id !== was) push(`${e.entity.type} ${e.entity.id} kept its SC id`, was, ent?.id ?? 'absent');
    }
  }
  return out;
}
