/**
 * The building blocks of the config schema: zod types whose errors read as one line naming what
 * was expected and what was found, and the one free-text rule applied to what a person writes.
 */
import * as z from "zod";
import { freeTextProblem } from "../text/free-text";
import { show } from "../text/quote";
import { didYouMean } from "./suggest";

export function typeError(expected: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined ? `required: ${expected}` : `expected ${expected}, got ${show(issue.input)}`;
}

export const str = (expected = "a string") => z.string({ error: typeError(expected) });
export const bool = () => z.boolean({ error: typeError("true or false") });
export const list = <T extends z.ZodType>(item: T, expected = "a list") => z.array(item, { error: typeError(expected) });
export const obj = <T extends z.core.$ZodLooseShape>(shape: T, expected = "a mapping") =>
  z.strictObject(shape, { error: typeError(expected) });

/** A string matching `re` (also a `pattern` in the JSON Schema), described to the user as `expected`. */
export function pattern(re: RegExp, expected: string) {
  return str(expected).regex(re, { error: (issue) => `must be ${expected}, got ${show(issue.input)}` });
}

/**
 * Free text a person writes (display names, descriptions, reasons, tag values): the one free-text
 * rule, with the field named by the path of the issue.
 */
export function freeText<T extends z.ZodType<string>>(schema: T) {
  return schema.superRefine((value, ctx) => {
    const problem = typeof value === "string" ? freeTextProblem(value) : undefined;
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** Documentation for editors, from the JSON Schema. */
export const doc = <T extends z.ZodType>(schema: T, description: string): T => schema.meta({ description });

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const expected = `one of ${values.join(", ")}`;
  return z.enum(values, {
    error: (issue) =>
      typeof issue.input === "string"
        ? `must be ${expected}, got ${show(issue.input)}${didYouMean(issue.input, values)}`
        : typeError(expected)(issue),
  });
}

/** Lists whose entries must be unique: the duplicate is reported at its own index. */
export function uniqueList<T extends z.ZodType>(item: T, what: string, ignoreCase = false) {
  return list(item).superRefine((values, ctx) => {
    const seen = new Map<string, number>();
    values.forEach((v, i) => {
      const raw = typeof v === "string" ? v : JSON.stringify(v);
      const key = ignoreCase ? raw.toLowerCase() : raw;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else ctx.addIssue({ code: "custom", path: [i], message: `duplicate ${what} ${show(v)} (also at [${first}])` });
    });
  });
}
