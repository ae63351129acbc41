/**
 * Text from a config (or a handoff) as Terraform JSON must carry it. Terraform evaluates every
 * string of a `.tf.json` file as a template, object property names included: `${...}` is an
 * expression and `%{...}` a directive, so a display name of `${file("/etc/hostname")}` would read
 * a file of the deploying machine into RAM. `$${` and `%%{` are the template language's escapes
 * for a literal `${` and `%{`.
 * @see https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences
 *
 * `literal` is the one escaping step every config string goes through on its way into a resource,
 * provider or output; `readLiteral` is its inverse for the review tools, which read synthesized
 * JSON and must see the text RAM will get.
 */

/** The Terraform JSON string whose value is exactly `text`. */
export function literal(text: string): string {
  return text.replace(/([$%])\{/g, "$1$1{");
}

/** `literal` on every key and value of a string map (tags). */
export function literalMap(map: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [literal(k), literal(v)]));
}

/**
 * The value Terraform gives a JSON string, when the string holds only literal text (escapes
 * included); undefined when it holds an expression or a directive. Scans as Terraform's template
 * scanner does, left to right: `$${` and `%%{` are escapes, any other `${` or `%{` starts a template.
 */
export function readLiteral(text: string): string | undefined {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") {
      out += `${c}{`;
      i += 2;
    } else if ((c === "$" || c === "%") && text[i + 1] === "{") {
      return undefined;
    } else {
      out += c;
    }
  }
  return out;
}
