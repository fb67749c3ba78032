import { TestbenchError } from '../../core/testbenchError.js';

/**
 * The Security Center directory the Properties tab picks from: users, user
 * groups (which may nest) and partitions.
 */
export class Directory {
  private readonly users = new Set<string>();
  private readonly groups = new Map<string, string[]>();
  private readonly partitions = new Set<string>();
  /** R13: privileges granted to users or user groups (a group's members inherit them). */
  private readonly privileges = new Map<string, Set<string>>();

  addUser(name: string): void {
    this.assertFree(name);
    this.users.add(name);
  }

  /** A group's members are users or other groups, by name; they may be created later. */
  addGroup(name: string, members: string[] = []): void {
    this.assertFree(name);
    this.groups.set(name, [...members]);
  }

  addToGroup(group: string, member: string): void {
    const m = this.groups.get(group);
    if (!m) throw new TestbenchError('DIRECTORY_NO_SUCH_GROUP', `user group "${group}" does not exist`);
    if (!m.includes(member)) m.push(member);
  }

  addPartition(name: string): void {
    if (this.partitions.has(name)) throw new TestbenchError('DIRECTORY_DUPLICATE', `partition "${name}" already exists`);
    this.partitions.add(name);
  }

  /** Directory changes after start: a deleted user or group leaves every group's members. */
  deleteUser(name: string): void {
    if (!this.users.delete(name)) throw new TestbenchError('DIRECTORY_NO_SUCH_USER', `user "${name}" does not exist`);
    this.forget(name);
  }

  deleteGroup(name: string): void {
    if (!this.groups.delete(name)) throw new TestbenchError('DIRECTORY_NO_SUCH_GROUP', `user group "${name}" does not exist`);
    this.forget(name);
  }

  deletePartition(name: string): void {
    if (!this.partitions.delete(name)) throw new TestbenchError('DIRECTORY_NO_SUCH_PARTITION', `partition "${name}" does not exist`);
  }

  private forget(name: string): void {
    this.privileges.delete(name);
    for (const [g, members] of this.groups) this.groups.set(g, members.filter((m) => m !== name));
  }

  /** R13: grants a privilege to a user or user group. */
  grant(principal: string, privilege: string): void {
    if (!this.isRecipient(principal)) throw new TestbenchError('DIRECTORY_NO_SUCH_USER', `"${principal}" is not a user or user group in Security Center`);
    const set = this.privileges.get(principal) ?? new Set<string>();
    set.add(privilege);
    this.privileges.set(principal, set);
  }

  revoke(principal: string, privilege: string): void {
    this.privileges.get(principal)?.delete(privilege);
  }

  /** R13: a user holds a privilege granted to them or to any group they belong to (nesting flattened). */
  hasPrivilege(user: string, privilege: string): boolean {
    if (!this.users.has(user)) return false;
    for (const [principal, set] of this.privileges) {
      if (set.has(privilege) && (principal === user || this.flatten([principal]).includes(user))) return true;
    }
    return false;
  }

  private assertFree(name: string): void {
    if (this.users.has(name) || this.groups.has(name)) {
      throw new TestbenchError('DIRECTORY_DUPLICATE', `a user or user group named "${name}" already exists`);
    }
  }

  isUser(name: string): boolean {
    return this.users.has(name);
  }

  isGroup(name: string): boolean {
    return this.groups.has(name);
  }

  /** R4: a recipient is a user or a user group. */
  isRecipient(name: string): boolean {
    return this.users.has(name) || this.groups.has(name);
  }

  hasPartition(name: string): boolean {
    return this.partitions.has(name);
  }

  listUsers(): string[] {
    return [...this.users];
  }

  listGroups(): Array<{ name: string; members: string[] }> {
    return [...this.groups].map(([name, members]) => ({ name, members: [...members] }));
  }

  listPartitions(): string[] {
    return [...this.partitions];
  }

  /**
   * R4: the users a recipient list notifies: groups flattened through any
   * nesting (cycles are cut), each user once, sorted.
   */
  flatten(recipients: readonly string[]): string[] {
    const out = new Set<string>();
    const seen = new Set<string>();
    const visit = (name: string): void => {
      if (this.users.has(name)) {
        out.add(name);
        return;
      }
      const members = this.groups.get(name);
      if (!members || seen.has(name)) return;
      seen.add(name);
      for (const m of members) visit(m);
    };
    for (const r of recipients) visit(r);
    return [...out].sort();
  }
}
