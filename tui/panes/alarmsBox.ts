import type { AlarmTriggering } from '../../plugin/securitycenter/alarmMonitor.js';
import type { AlarmEntity } from '../../plugin/securitycenter/scTypes.js';
import type { Rect } from '../dashboardLayout.js';
import { alarmsTable } from '../viewModel.js';
import { borderedBox, innerWidth, placeElement, SCROLLABLE, setLines, type Box, type Screen } from './paneBox.js';

/** Alarm entities with recipients, partitions, last trigger and who was notified (a table, or wrapped blocks when narrow). */
export class AlarmsBox {
  readonly el: Box;

  constructor(screen: Screen) {
    this.el = borderedBox(screen, 'Alarms', SCROLLABLE);
  }

  place(r: Rect): void {
    placeElement(this.el, r, 'Alarms');
  }

  show(alarms: readonly AlarmEntity[], monitor: readonly AlarmTriggering[]): void {
    setLines(this.el, alarmsTable(alarms, monitor, innerWidth(this.el, true)));
  }
}
