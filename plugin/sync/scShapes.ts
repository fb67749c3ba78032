import type { ScType } from '../securitycenter/scTypes.js';

/** At most this many distinct lists: a code is kept in a Uint8Array column (TypeTable.shapes). */
const MAX_CODES = 256;

/**
 * The distinct lists of SC types one SiPass entity can become (R8: a unit is two, most one, some
 * none), numbered so a store slot keeps a one-byte code instead of a list: code 0 is none.
 * The mapping hands out a few shared constant lists, found here by identity; any other list is
 * found by its text, so a list built per call still gets its list's code.
 */
export class ScShapes {
  private readonly lists: Array<readonly ScType[]> = [[]];
  private readonly byText = new Map<string, number>();
  private readonly known = new WeakMap<readonly ScType[], number>();

  /** The last list asked for and its code: a batch asks for one list a few hundred times in a row. */
  private lastList: readonly ScType[] | undefined;
  private lastCode = 0;

  code(list: readonly ScType[]): number {
    if (list === this.lastList) return this.lastCode;
    if (list.length === 0) return 0;
    let code = this.known.get(list);
    if (code === undefined) code = this.register(list);
    this.lastList = list;
    this.lastCode = code;
    return code;
  }

  private register(list: readonly ScType[]): number {
    const text = list.join(',');
    let code = this.byText.get(text);
    if (code === undefined) {
      code = this.lists.length;
      if (code >= MAX_CODES) throw new RangeError(`more than ${MAX_CODES - 1} distinct SC type lists`);
      this.lists.push(Object.freeze([...list]));
      this.byText.set(text, code);
    }
    this.known.set(list, code);
    return code;
  }

  list(code: number): readonly ScType[] {
    return this.lists[code] as readonly ScType[];
  }

  /** How many codes exist (0 included). */
  get size(): number {
    return this.lists.length;
  }
}
