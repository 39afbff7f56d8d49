import type { FilterChain, FilterRule } from "../model/filter.js";
import type { CompiledChain } from "./compiled-chain.js";
import { factsOf, type FilterPacket, type PacketFacts } from "./packet.js";
import type { FilterTables } from "./tables.js";

/** Where the packet was stopped: a rule, or the chain's policy when `rule` is absent. */
export interface FilterStop {
  chain: FilterChain;
  rule?: FilterRule;
  verdict: "drop" | "reject" | "queue";
}

/** A fork the trace could not decide: the rules it depends on, and what stops the packet on the branch that does not pass. */
export interface FilterUncertainty {
  dependsOn: FilterRule[];
  stop: FilterStop;
}

export type HookDecision =
  | { kind: "drop"; stop: FilterStop }
  /** The packet goes on; `uncertain` lists the forks where it might not have; `mark` is its mark after the hook. */
  | { kind: "pass"; uncertain: FilterUncertainty[]; mark: number | undefined };

/** Jumps nested deeper than nftables allows (NFT_JUMP_STACK_SIZE) cannot happen; the bound only guards a malformed snapshot. */
const MAX_DEPTH = 16;
/** Undecidable rules explored per base chain (each explored both ways); beyond this the chain is uncertain as a whole. */
const MAX_FORKS = 12;

interface Frame {
  chain: CompiledChain;
  order: readonly number[];
  pos: number;
}

interface Branch {
  stack: Frame[];
  facts: PacketFacts;
  /** Undecidable rules this branch assumed to match. */
  assumed: FilterRule[];
}

interface Final {
  verdict: "accept" | "drop" | "queue";
  stop?: FilterStop;
  assumed: FilterRule[];
  mark: number | undefined;
}

interface Run {
  tables: FilterTables;
  base: CompiledChain;
  forks: number;
  /** Undecidable rules not explored (MAX_FORKS reached). */
  unexplored: FilterRule[];
  finals: Final[];
}

const frameOf = (chain: CompiledChain, facts: PacketFacts): Frame => ({ chain, order: chain.candidates(facts), pos: 0 });

function final(branch: Branch, verdict: Final["verdict"], stop?: FilterStop): Final {
  return { verdict, ...(stop ? { stop } : {}), assumed: branch.assumed, mark: branch.facts.mark };
}

/** Applies a matching rule to the branch: a final verdict, or undefined when evaluation goes on (continue, return, jump, goto). */
function apply(run: Run, branch: Branch, frame: Frame, rule: FilterRule): Final | undefined {
  if (rule.setsMark !== undefined) branch.facts.mark = rule.setsMark ?? undefined;
  switch (rule.verdict) {
    case "accept":
      return final(branch, "accept");
    case "drop":
    case "reject":
    case "queue":
      return final(branch, rule.verdict === "queue" ? "queue" : "drop", { chain: frame.chain.chain, rule, verdict: rule.verdict });
    case "return":
      branch.stack.pop();
      return undefined;
    case "jump":
    case "goto": {
      const target = run.tables.chain(rule.family, rule.table, rule.target ?? "");
      if (!target || branch.stack.length >= MAX_DEPTH) return undefined;
      if (rule.verdict === "goto") branch.stack.pop();
      branch.stack.push(frameOf(target, branch.facts));
      return undefined;
    }
    default:
      return undefined;
  }
}

function fork(branch: Branch, rule: FilterRule): Branch {
  return { stack: branch.stack.map((f) => ({ ...f })), facts: { ...branch.facts }, assumed: [...branch.assumed, rule] };
}

/** Walks one branch to its end; an undecidable rule forks a branch that assumes it matched, while this one goes on as if it did not. */
function walk(run: Run, branch: Branch): void {
  for (;;) {
    const frame = branch.stack.at(-1);
    if (!frame) {
      const policy = run.base.chain.policy ?? "accept";
      run.finals.push(final(branch, policy, policy === "drop" ? { chain: run.base.chain, verdict: "drop" } : undefined));
      return;
    }
    if (frame.pos >= frame.order.length) {
      branch.stack.pop();
      continue;
    }
    const compiled = frame.chain.rules[frame.order[frame.pos++] as number];
    if (!compiled) continue;
    const held = compiled.test(branch.facts);
    if (held === false) continue;
    // A rule that neither decides nor changes the mark goes the same way whether it matches or not.
    if (held === undefined && compiled.rule.verdict === "continue" && compiled.rule.setsMark === undefined) continue;
    if (held === undefined) {
      if (run.forks >= MAX_FORKS) run.unexplored.push(compiled.rule);
      else {
        run.forks++;
        const other = fork(branch, compiled.rule);
        const ended = apply(run, other, other.stack.at(-1) as Frame, compiled.rule);
        if (ended) run.finals.push(ended);
        else walk(run, other);
      }
      continue;
    }
    const ended = apply(run, branch, frame, compiled.rule);
    if (ended) return void run.finals.push(ended);
  }
}

const unique = (rules: FilterRule[]) => [...new Set(rules)];

/**
 * One base chain's verdict for the packet. Every undecidable rule is followed both ways;
 * when all ways agree the verdict is certain. When they do not, the trace goes on the way
 * the packet passes (so that the rest of the path is still checked) and remembers the
 * fork: a later definite stop still decides the path, else the path is uncertain.
 */
function decideBase(tables: FilterTables, base: CompiledChain, facts: PacketFacts): { final: Final; uncertainty?: FilterUncertainty } {
  const run: Run = { tables, base, forks: 0, unexplored: [], finals: [] };
  walk(run, { stack: [frameOf(base, facts)], facts, assumed: [] });
  const main = run.finals.find((f) => f.assumed.length === 0) as Final;
  const differing = run.finals.filter((f) => f.verdict !== main.verdict);
  if (!differing.length && !run.unexplored.length && main.verdict !== "queue") return { final: main };
  if (main.verdict === "accept") {
    const unexplored = run.unexplored[0];
    const stopped = differing.find((f) => f.stop)?.stop;
    const stop = stopped ?? { chain: (unexplored && tables.chain(unexplored.family, unexplored.table, unexplored.chain)?.chain) || base.chain, ...(unexplored ? { rule: unexplored } : {}), verdict: "drop" as const };
    return { final: main, uncertainty: { dependsOn: unique([...differing.flatMap((f) => f.assumed), ...run.unexplored]), stop } };
  }
  // Stopped on the main way: the packet passes if any of the ways that accept it is the real one.
  const passing = differing.filter((f) => f.verdict === "accept");
  const queued = main.verdict === "queue" && main.stop?.rule ? [main.stop.rule] : [];
  return {
    final: { ...(passing[0] ?? main), verdict: "accept" },
    uncertainty: { dependsOn: unique([...queued, ...passing.flatMap((f) => f.assumed), ...run.unexplored]), stop: main.stop ?? { chain: base.chain, verdict: "drop" } },
  };
}

/**
 * What the base chains of one hook do with a packet, in priority order: an accept ends
 * only its own base chain (the next one still runs), a drop anywhere is final, a chain's
 * policy applies when its rules end without a verdict.
 */
export function evaluateHook(tables: FilterTables, bases: readonly CompiledChain[], packet: FilterPacket): HookDecision {
  const uncertain: FilterUncertainty[] = [];
  const facts = factsOf(packet);
  for (const base of bases) {
    const { final: decided, uncertainty } = decideBase(tables, base, facts);
    if (decided.verdict !== "accept" && !uncertainty) return { kind: "drop", stop: decided.stop ?? { chain: base.chain, verdict: "drop" } };
    if (uncertainty) uncertain.push(uncertainty);
    facts.mark = decided.mark;
  }
  return { kind: "pass", uncertain, mark: facts.mark };
}
