import type { FaultSpec } from '../../simulator/faults/fault.js';
import type { PopulationSpec } from '../../simulator/populationSpec.js';
import type { SiPassServer } from '../../simulator/sipassServer.js';
import type { Endpoint } from './virtualNetwork.js';

/**
 * One fake SiPass server of a scenario (`server:` is "main", `servers:` add
 * others) and its place on the virtual network: it listens on an ephemeral
 * loopback port that its endpoint maps its logical name and port onto. A
 * restart with another population starts a new server life; faults live on
 * the wire and stay in force across restarts until cleared.
 */
export class ServerHost {
  server: SiPassServer;
  private lives = 1;
  private faults: FaultSpec[] = [];

  constructor(
    readonly name: string,
    population: PopulationSpec,
    readonly endpoint: Endpoint,
    private readonly make: (population: PopulationSpec, life: number) => SiPassServer,
  ) {
    this.server = make(population, this.lives);
  }

  async listen(): Promise<void> {
    const { port } = await this.server.listen(0, '127.0.0.1');
    this.endpoint.realPort = port;
  }

  /** Stops listening and drops every connection (site, alarms and log kept). */
  async stop(): Promise<void> {
    await this.server.stop();
    this.endpoint.realPort = null;
  }

  /** Stop and start; with a population, a new server life with that site. Returns true when the server changed. */
  async restart(population?: PopulationSpec): Promise<boolean> {
    await this.stop();
    if (population) {
      this.server = this.make(population, ++this.lives);
      for (const f of this.faults) this.server.addFault(f);
    }
    await this.listen();
    return population !== undefined;
  }

  /** R3/R12: the proxy service restarts on another logical port. */
  async moveTo(port: number): Promise<void> {
    await this.stop();
    this.endpoint.logicalPort = port;
    await this.listen();
  }

  block(): void {
    this.endpoint.blocked = true;
    this.server.block();
  }

  unblock(): void {
    this.endpoint.blocked = false;
    this.server.unblock();
  }

  addFault(spec: FaultSpec): void {
    this.faults.push(spec);
    this.server.addFault(spec);
  }

  removeFault(name: string): void {
    this.faults = this.faults.filter((f) => f.name !== name);
    this.server.removeFault(name);
  }

  clearFaults(): void {
    this.faults = [];
    this.server.clearFaults();
  }
}
