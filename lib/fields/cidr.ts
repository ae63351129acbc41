/** Source addresses (acs:SourceIp), as the config and the handoff both carry them. */
import { coverEverything, dotted, parseBlock } from "../net/ipv4";
import { quote } from "../text/quote";

/** The problem with an IPv4 address or CIDR block (host bits must be zero, `0.0.0.0/0` refused); undefined when fine. */
export function checkIpv4OrCidr(value: string): string | undefined {
  const block = parseBlock(value);
  if (!block) return `must be an IPv4 address or CIDR block such as 203.0.113.0/24, got ${quote(value)}`;
  if (block.bits === 0) return `0.0.0.0/0 matches every address; leave sourceIps out instead`;
  if (block.start !== block.address)
    return `has host bits set (did you mean "${dotted(block.start)}/${block.bits}"?), got ${quote(value)}`;
  return undefined;
}

/** The problem with a whole list of source addresses that each passed `checkIpv4OrCidr`; undefined when fine. */
export function checkSourceIps(values: readonly string[]): string | undefined {
  if (coverEverything(values.filter((v) => checkIpv4OrCidr(v) === undefined)))
    return "together these cover every address; leave sourceIps out instead";
  return undefined;
}
