// resource.Quantity: parse, compare, canonical string and integer views, exact to the nano as upstream (never floating point).

/** How a quantity prints: its suffix family, kept from the parsed string as upstream. */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const SPLIT_RE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
/** upstream ErrFormatWrong. */
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${SPLIT_RE}'`;
/** upstream ErrNumeric. */
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
/** upstream ErrSuffix. */
export const ERR_SUFFIX = "unable to parse quantity's suffix";

/** Thrown for strings that are not quantities; the message is upstream's. */
export class QuantityError extends Error {}

const NANO = 10n ** 9n;
const MAX_INT64 = 2n ** 63n - 1n;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

function interpretSuffix(s: string): { base: 2 | 10; exp: number; format: QuantityFormat } {
  if (s in DECIMAL_SUFFIXES) return { base: 10, exp: DECIMAL_SUFFIXES[s], format: 'DecimalSI' };
  if (s in BINARY_SUFFIXES) return { base: 2, exp: BINARY_SUFFIXES[s], format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E') && /^[+-]?\d+$/.test(s.slice(1))) {
    return { base: 10, exp: Number(s.slice(1)), format: 'DecimalExponent' };
  }
  throw new QuantityError(ERR_SUFFIX);
}

// Integer division rounding away from zero (upstream rounds sub-nano amounts up).
function divAway(n: bigint, d: bigint): bigint {
  const q = n / d;
  return q * d === n ? q : n < 0n ? q - 1n : q + 1n;
}

/** A fixed-point quantity held as an exact count of nano-units. */
export class Quantity {
  /** @param nano the value times 10^9. @param format the suffix family to print with. @param cached the parsed text when it was already canonical. */
  constructor(
    readonly nano: bigint,
    readonly format: QuantityFormat = 'DecimalSI',
    private readonly cached?: string,
  ) {}

  /** -1, 0 or 1. */
  sign(): number {
    return this.nano === 0n ? 0 : this.nano < 0n ? -1 : 1;
  }

  /** Compares with another quantity: -1, 0 or 1. */
  cmp(other: Quantity): number {
    return this.nano === other.nano ? 0 : this.nano < other.nano ? -1 : 1;
  }

  /** The value rounded up to a whole unit (upstream Value()), e.g. bytes or cores. */
  value(): bigint {
    return divAway(this.nano, NANO);
  }

  /** The value in milli-units rounded up (upstream MilliValue()), e.g. millicores. */
  milliValue(): bigint {
    return divAway(this.nano, 10n ** 6n);
  }

  /** An approximate float, for display and ratios only. */
  toNumber(): number {
    return Number(this.nano) / 1e9;
  }

  /** This quantity rounded up to milli precision, as upstream defaulting does for resource lists. */
  roundUpToMilli(): Quantity {
    const milli = 10n ** 6n;
    if (this.nano % milli === 0n) return this;
    return new Quantity(divAway(this.nano, milli) * milli, this.format);
  }

  /** A quantity of the same format holding `nano` nano-units. */
  withNano(nano: bigint): Quantity {
    return new Quantity(nano, this.format);
  }

  /** The canonical string (upstream String()): largest suffix without losing precision, e.g. 1.5 → "1500m", 1.5Gi → "1536Mi". */
  toString(): string {
    if (this.cached !== undefined) return this.cached;
    if (this.nano === 0n) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      const inSmallRange = this.nano > -1024n * NANO && this.nano < 1024n * NANO;
      if (inSmallRange || this.nano % NANO !== 0n) format = 'DecimalSI';
    }
    if (format === 'BinarySI') {
      let n = this.nano / NANO;
      let exp = 0;
      while (exp < 6 && n % 1024n === 0n) {
        n /= 1024n;
        exp++;
      }
      return `${n}${['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][exp]}`;
    }
    // Move factors of ten into the exponent, then down to a multiple of three.
    let n = this.nano;
    let exp = -9;
    while (n % 10n === 0n) {
      n /= 10n;
      exp++;
    }
    while (((exp % 3) + 3) % 3 !== 0) {
      n *= 10n;
      exp--;
    }
    if (format === 'DecimalExponent') return exp === 0 ? `${n}` : `${n}e${exp}`;
    const suffix = Object.keys(DECIMAL_SUFFIXES).find((k) => DECIMAL_SUFFIXES[k] === exp);
    return suffix !== undefined ? `${n}${suffix}` : `${n}e${exp}`;
  }

  /** JSON form: the canonical string. */
  toJSON(): string {
    return this.toString();
  }
}

/** Parses a quantity string (or a JSON number); throws QuantityError with upstream's message when malformed. */
export function parseQuantity(input: string | number): Quantity {
  const str = typeof input === 'number' ? String(input) : input;
  if (str.length === 0) throw new QuantityError(ERR_FORMAT_WRONG);
  if (str === '0') return new Quantity(0n, 'DecimalSI', '0');
  // As permissive as upstream's scanner: "1.", ".5" and even a bare suffix parse.
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(str);
  if (!m) throw new QuantityError(ERR_FORMAT_WRONG);
  const negative = m[1] === '-';
  const whole = m[2].replace(/^0+/, '') || '0';
  const frac = m[3] ?? '';
  const { base, exp, format } = interpretSuffix(m[4]);

  // Exact rational value: digits / 10^frac.length, times the suffix.
  let num = BigInt(whole + frac);
  let den = 10n ** BigInt(frac.length);
  if (base === 2) num *= 2n ** BigInt(exp);
  else if (exp >= 0) num *= 10n ** BigInt(exp);
  else den *= 10n ** BigInt(-exp);
  let nano = divAway(num * NANO, den);
  if (format === 'BinarySI' && nano > MAX_INT64 * NANO) nano = MAX_INT64 * NANO;
  // Sub-unit binary amounts print as DecimalSI upstream.
  const effective: QuantityFormat = format === 'BinarySI' && nano < NANO && nano > 0n ? 'DecimalSI' : format;
  if (negative) nano = -nano;
  return new Quantity(nano, effective, keepsParsedText(whole, frac, base, exp) ? str : undefined);
}

// Upstream's fast path keeps the parsed text when it looks canonical ("+1" stays "+1", "1.500" stays, "1000" becomes "1k").
function keepsParsedText(whole: string, frac: string, base: number, exp: number): boolean {
  const shifted = whole + frac;
  if (base === 2) {
    if (frac.length > 0 || 15 - whole.length - Math.floor((exp * 3) / 10) - 1 < 0) return false;
    const value = BigInt(whole);
    return value << BigInt(exp) <= MAX_INT64 && exp % 10 === 0 && (value & 7n) !== 0n;
  }
  const scale = exp - frac.length;
  if (whole.length + frac.length > 18 || scale < -9) return false;
  return scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
}

/** Parses or returns undefined instead of throwing. */
export function tryParseQuantity(input: unknown): Quantity | undefined {
  if (typeof input !== 'string' && typeof input !== 'number') return undefined;
  try {
    return parseQuantity(input);
  } catch {
    return undefined;
  }
}

/** Compares two quantity strings: -1, 0 or 1 (throws when either is malformed). */
export function compareQuantities(a: string | number, b: string | number): number {
  return parseQuantity(a).cmp(parseQuantity(b));
}

/** The canonical form of a quantity string, e.g. "1000m" → "1", "0.5Gi" → "512Mi". */
export function canonicalQuantity(s: string | number): string {
  return parseQuantity(s).toString();
}

/** Millicores (or milli-units) of a quantity, rounded up. */
export function toMilli(s: string | number): number {
  return Number(parseQuantity(s).milliValue());
}

/** Whole units (bytes, cores) of a quantity, rounded up. */
export function toUnits(s: string | number): number {
  return Number(parseQuantity(s).value());
}
