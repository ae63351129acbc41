/**
 * Date-times, for the config (any zone, as a person writes it) and the handoff (UTC, as the
 * product writes it): both must name a real instant, so `2027-02-30` or `24:00` is refused by
 * either reader.
 */

/** ISO 8601 date-time with a zone (`Z` or `+08:00`). */
const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;
/** The handoff's form: UTC, to the second. */
export const UTC_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Whether `value` is an ISO 8601 date-time with a zone naming a real instant. */
export function isIsoDateTimeWithZone(value: string): boolean {
  const m = ISO_WITH_ZONE.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s = "00", sign = "+", zh = "00", zm = "00"] = m;
  const offset = +zh * 60 + +zm;
  const day = new Date(Date.UTC(+y, +mo - 1, +d));
  return (
    day.getUTCFullYear() === +y &&
    day.getUTCMonth() === +mo - 1 &&
    day.getUTCDate() === +d &&
    +h < 24 &&
    +mi < 60 &&
    +s < 60 &&
    // UTC offsets run from -12:00 to +14:00
    +zm < 60 &&
    offset <= (sign === "+" ? 14 * 60 : 12 * 60) &&
    Number.isFinite(Date.parse(value))
  );
}

/** Whether `value` is a real instant written in UTC to the second (`2027-12-31T15:59:59Z`). */
export function isUtcDateTime(value: string): boolean {
  return UTC_SECONDS.test(value) && isIsoDateTimeWithZone(value);
}

/** The instant a date-time names, to the second (as the policies carry it). */
export function epochSeconds(value: string): number {
  return Math.floor(Date.parse(value) / 1000);
}
