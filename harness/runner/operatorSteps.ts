import { TestbenchError } from '../../core/testbenchError.js';
import type { PluginRole } from '../../plugin/pluginRole.js';
import type { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import type { SiPassServer } from '../../simulator/sipassServer.js';
import type { Step } from '../scenario/scenario.js';
import type { StepResult } from './results.js';

/** What the issue-12 steps act on; the runner owns the server's lives and the role. */
export interface OperatorWorld {
  sc: SecurityCenter;
  role(): PluginRole | null;
  server(): SiPassServer;
  /** Stops and starts the proxy service (same site and life): connections drop, the role reconnects. */
  restartProxy(): Promise<void>;
  /** The role was deleted. */
  roleDeleted(): void;
}

const need = (role: PluginRole | null): PluginRole => {
  if (!role) throw new TestbenchError('ROLE_NOT_FOUND', 'this scenario has no plugin role (securityCenter.role is null, or it was deleted)');
  return role;
};

/**
 * Runs the steps issue 12 added (R13 commands, R14 SC edits, directory changes, the role's
 * lifecycle, R15 troubleshooting and versions), and `refused:` on manualSync, command and
 * acknowledge. Returns false for a step it does not handle (the runner's own switch does).
 */
export async function runOperatorStep(step: Step, w: OperatorWorld, sr: StepResult): Promise<boolean> {
  if (step.refused !== undefined) {
    expectRefused(step, w, sr, step.refused);
    return true;
  }
  switch (step.kind) {
    case 'command':
      need(w.role()).runCommand(step.order);
      return true;
    case 'eventToAction':
      need(w.role()).addEventToAction({ event: step.event, order: step.order });
      return true;
    case 'grantPrivilege':
      w.sc.directory.grant(step.user, step.privilege);
      return true;
    case 'revokePrivilege':
      w.sc.directory.revoke(step.user, step.privilege);
      return true;
    case 'editEntity': {
      const e = need(w.role()).entities.find(step.id, step.type);
      if (!e) throw new TestbenchError('SC_NO_SUCH_ENTITY', `no synchronized ${step.type} "${step.id}" to edit`);
      w.sc.editEntity(e, step.fields);
      return true;
    }
    case 'deleteUser':
      w.sc.directory.deleteUser(step.name);
      return true;
    case 'deleteGroup':
      w.sc.directory.deleteGroup(step.name);
      return true;
    case 'deletePartition':
      w.sc.directory.deletePartition(step.name);
      return true;
    case 'addMember':
      w.sc.directory.addToGroup(step.group, step.member);
      return true;
    case 'restartRole':
      need(w.role()).restart();
      return true;
    case 'deactivateRole':
      need(w.role()).deactivate();
      return true;
    case 'activateRole':
      need(w.role()).activate();
      return true;
    case 'deleteRole': {
      const role = need(w.role());
      w.sc.deleteRole(role.name);
      w.roleDeleted();
      return true;
    }
    case 'restartProxy':
      await w.restartProxy();
      return true;
    case 'serverSdkVersion':
      // R15: the proxy is reinstalled with another SDK: it restarts, roles reconnect and compare.
      w.server().sdkVersion = step.version;
      await w.restartProxy();
      return true;
    case 'securityCenterVersion':
      w.sc.version = step.version;
      return true;
    default:
      return false;
  }
}

/** `refused:` the step must throw a TestbenchError whose code or message contains the text. */
function expectRefused(step: Step, w: OperatorWorld, sr: StepResult, text: string): void {
  const what = `${step.kind} refused`;
  try {
    if (step.kind === 'manualSync') need(w.role()).manualSync();
    else if (step.kind === 'command') need(w.role()).runCommand(step.order);
    else if (step.kind === 'acknowledge') {
      if (!need(w.role()).acknowledgeAlarm(step.occurrence, step.user)) throw new TestbenchError('SC_ALREADY_ACKNOWLEDGED', `occurrence "${step.occurrence}" is already acknowledged`);
    } else throw new TestbenchError('SCENARIO_BAD_STEP', `${step.kind} cannot be refused`);
  } catch (e) {
    if (!(e instanceof TestbenchError)) throw e;
    if (!e.code.includes(text) && !e.message.includes(text)) sr.mismatches.push({ what, expected: `a cause containing "${text}"`, actual: `${e.code}: ${e.message}` });
    return;
  }
  sr.mismatches.push({ what, expected: `refused (${text})`, actual: 'accepted' });
}
