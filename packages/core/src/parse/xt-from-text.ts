import type { FilterMatch } from "../model/filter.js";

/**
 * The conditions of an iptables-nft `xt` match, read back from the rule as `nft -a list
 * ruleset` prints it (libxtables translates them there, but not in JSON). Only matches
 * whose translation is exact and easy to read are taken; anything else stays opaque.
 */
const CT_STATE = /\bct state (!= )?([a-z]+(?:,[a-z]+)*)/;
// Another ct condition beside the state (ct status, ct direction...) would be lost: then the rule stays opaque.
const OTHER_CT = /\bct (?!state\b)[a-z]+/;
const PORTS = /\b(tcp|udp|sctp|dccp) (dport|sport) (!= )?(\{ [^}]* \}|[0-9][0-9-]*)/g;

const listOf = (text: string) => text.replace(/^\{ | \}$/g, "").split(",").map((v) => v.trim()).filter(Boolean);

function ctState(text: string): FilterMatch[] | undefined {
  const m = CT_STATE.exec(text);
  if (!m?.[2] || OTHER_CT.test(text)) return undefined;
  return [{ field: "ct state", op: m[1] ? "!=" : "==", values: m[2].split(",") }];
}

function ports(text: string): FilterMatch[] | undefined {
  const found = [...text.matchAll(PORTS)].map((m): FilterMatch => ({ field: `${m[1]} ${m[2]}`, op: m[3] ? "!=" : "==", values: listOf(m[4] ?? "") }));
  return found.length ? found : undefined;
}

const TRANSLATIONS: Record<string, (text: string) => FilterMatch[] | undefined> = { conntrack: ctState, state: ctState, multiport: ports };

/** The matches an xt match stands for, or undefined when the text does not say them plainly. */
export function xtMatchFromText(name: string, text: string | undefined): FilterMatch[] | undefined {
  const translate = TRANSLATIONS[name];
  return translate && text ? translate(text) : undefined;
}
