/**
 * The shell stays in step with the learner: typed answers go to the question
 * on screen and never to one the learner did not see (two terminals on one
 * real Redis), a drill arriving mid-quiz leaves the quiz answerable, the
 * start screen says what is waiting.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { learnerId, type LearnerKey } from "../../../core/identity.js";
import type { JobPlanner } from "../../../core/ports.js";
import { DrillService } from "../../../core/service/drill-service.js";
import { StudyService } from "../../../core/service/study-service.js";
import { RedisProgressStore } from "../../../bots/redis/progress-store.js";
import { RedisScheduleStore } from "../../../bots/redis/schedule-store.js";
import { fixedClock, uniquePrefix, useTestRedis } from "../../support/redis.js";
import { openTerminal, type Terminal } from "../../support/shell-terminal.js";
import { fixtureCatalog } from "../../support/study-harness.js";

const redis = useTestRedis();
/** Challenges close through the job queue; these tests post none. */
const noJobs: JobPlanner = { closeDrillAt: async () => {}, closeChallengeAt: async () => {} };

let service: StudyService;
let drills: DrillService;
let store: RedisProgressStore;
let clock: ReturnType<typeof fixedClock>;
const terminals: Terminal[] = [];
const ann: LearnerKey = { platform: "shell", workspace: "local", user: "ann" };

beforeEach(async () => {
  const prefix = uniquePrefix();
  const catalog = await fixtureCatalog();
  clock = fixedClock("2026-03-02T12:00:00Z");
  let ids = 0;
  const newId = () => `t${++ids}x${Math.random().toString(16).slice(2, 6)}`;
  store = new RedisProgressStore(redis.client, { prefix });
  drills = new DrillService({ catalog, store, schedules: new RedisScheduleStore(redis.client, prefix), planner: noJobs, clock, newId });
  service = new StudyService({ catalog, store, clock, newId, drills });
});
afterEach(async () => {
  await Promise.all(terminals.splice(0).map((t) => t.close()));
});

async function terminal(who = ann): Promise<Terminal> {
  const t = await openTerminal(service, who);
  terminals.push(t);
  return t;
}

/** The displayed number of the right choice in the last "Which letter comes first?" question printed. */
function alphaChoice(printed: string): string {
  const block = printed.slice(printed.lastIndexOf("Which letter comes first?"));
  const m = /\s(\d)\) Alpha\n/.exec(block);
  if (!m) throw new Error(`no Alpha choice in:\n${printed}`);
  return m[1]!;
}

const answered = async () => (await store.snapshot(ann)).answered;

describe("two terminals, one learner", () => {
  it("an answer typed for a question another window already answered is not graded; the window is shown where the quiz is", async () => {
    const a = await terminal();
    const b = await terminal();
    const started = await a.type("/quiz alpha 2");
    expect(started).toContain("question 1 of 2");
    const shown = await b.type("/quiz");
    expect(shown).toContain("is at question 1 of 2");
    expect(await b.type("1")).toMatch(/Correct!|Not quite\./);
    expect(await answered()).toBe(1);

    const late = await a.type("2");
    expect(late).toContain("You already answered this question; your first answer counts.");
    expect(late).toContain("question 2 of 2");
    expect(await answered()).toBe(1);
    // Now the second question is on A's screen, and A's answer goes to it.
    const next = await a.type("1");
    expect(next).toMatch(/Correct!|Not quite\./);
    expect(next).toContain("Done: Quiz: Alpha basics");
    expect(await answered()).toBe(2);
  });

  it("a quiz replaced in another window: the old question's answer is refused and the new quiz's question shown", async () => {
    const a = await terminal();
    const b = await terminal();
    await a.type("/quiz alpha 1");
    const fresh = await b.type("/quiz beta 1");
    expect(fresh).toContain("Beta");
    const refused = await a.type("1");
    expect(refused).toContain("That question is no longer open");
    expect(refused).toContain("your answer was not graded");
    expect(refused).toContain("question 1 of 1");
    expect(await answered()).toBe(0);
  });

  it("an answer to a quiz that expired meanwhile is not graded, and says there is no open quiz", async () => {
    const a = await terminal();
    await a.type("/quiz alpha 1");
    await redis.client.del(store.keys.session(learnerId(ann))); // what the session's TTL does after a day
    const late = await a.type("1");
    expect(late).toContain("That question is no longer open");
    expect(late.replace(/\s+/g, " ")).toContain("You have no open quiz: start one with /quiz or /review.");
    expect(await answered()).toBe(0);
  });

  it("after a restart, a number typed before any question is on screen is not graded", async () => {
    const before = await terminal();
    await before.type("/quiz alpha 2");
    await before.close();
    terminals.splice(terminals.indexOf(before), 1);
    const after = await terminal();
    expect(after.greeting).toContain("Unfinished quiz (Quiz: Alpha basics): question 1 of 2. Type /quiz to continue.");
    const typed = await after.type("1");
    expect(typed).toContain("No question is on screen here, so that answer was not graded.");
    expect(typed).toContain("question 1 of 2");
    expect(await answered()).toBe(0);
  });
});

describe("a drill arriving mid-quiz", () => {
  it("keeps the quiz: the drill is answered, /quiz shows where the quiz stands, and the quiz goes on to its end", async () => {
    const t = await terminal();
    const quiz = await t.type("/quiz alpha 3");
    expect(await t.type(alphaChoice(quiz))).toContain("Correct!");

    // The worker delivers today's drill into the terminal, as ShellMessenger does for the job.
    const replies = await drills.personalDrill({ learner: ann, displayName: "ann", recurrence: { time: "12:00", zone: "UTC", days: [1, 2, 3, 4, 5, 6, 7] }, count: 1, remind: false }, undefined, "drill-1");
    await t.messenger.toLearner(ann, replies);
    expect(t.transcript()).toContain("Your daily drill: 1 question");

    // The typed answer goes to the drill's question, the newest on screen.
    const drillAnswer = await t.type("1");
    expect(drillAnswer).toMatch(/Correct!|Not quite\./);
    expect(drillAnswer).toContain("Done: Daily drill");
    // The drill is done: the quiz is back, at its second question.
    expect(drillAnswer).toContain("Back to your quiz, where you left it:");
    expect(drillAnswer).toContain("question 2 of 3");

    const stands = await t.type("/quiz");
    expect(stands).toContain("Your quiz (Quiz: Alpha basics) is at question 2 of 3, 1 right so far.");
    expect(await t.type("1")).toMatch(/question 3 of 3/);
    expect(await answered()).toBe(3);
  });

  it("with the drill still open, both the drill and the quiz can be answered", async () => {
    const t = await terminal();
    await t.type("/quiz alpha 2");
    const replies = await drills.personalDrill({ learner: ann, displayName: "ann", recurrence: { time: "12:00", zone: "UTC", days: [1, 2, 3, 4, 5, 6, 7] }, count: 2, remind: false }, undefined, "drill-2");
    await t.messenger.toLearner(ann, replies);
    const both = await t.type("/quiz");
    expect(both).toContain("Your quiz (Quiz: Alpha basics) is at question 1 of 2");
    expect(both).toContain("Your daily drill is at question 1 of 2");
    // /quiz printed the quiz first, then the drill: the answer goes to the drill (newest on screen).
    const first = await t.type("1");
    expect(first).toContain("question 2 of 2");
    const snap = await store.snapshot(ann);
    expect(snap.session?.kind).toBe("drill");
    expect(snap.session?.index).toBe(1);
    expect(snap.parked?.index).toBe(0);
  });
});

describe("a challenge arriving mid-quiz", () => {
  it("is answered in place, then the quiz's question is shown again and takes the next answer", async () => {
    const t = await terminal();
    await t.type("/quiz alpha 2");
    const posted = await t.type("/challenge write 30m Which letter is first? | Beta | *Alpha | Gamma | Alpha starts the alphabet.");
    expect(posted).toContain("Challenge from ann");
    const onChallenge = await t.type("1");
    expect(onChallenge).toContain("Alpha starts the alphabet.");
    expect(onChallenge).toContain("Back to the open question:");
    expect(onChallenge).toContain("Which letter comes first?");
    expect((await store.snapshot(ann)).session?.index).toBe(0); // the quiz did not move
    const onQuiz = await t.type(alphaChoice(onChallenge));
    expect(onQuiz).toContain("Correct!");
    expect(onQuiz).toContain("question 2 of 2");
    expect((await store.snapshot(ann)).answered).toBe(2);
  });
});

describe("the start screen", () => {
  it("says what is waiting: the unfinished quiz, reviews due, and whether today's streak is done", async () => {
    const first = await terminal();
    const quiz = await first.type("/quiz alpha 3");
    await first.type(alphaChoice(quiz));
    await first.close();
    terminals.splice(terminals.indexOf(first), 1);

    const sameDay = await terminal();
    expect(sameDay.greeting).toContain("Unfinished quiz (Quiz: Alpha basics): question 2 of 3. Type /quiz to continue.");
    expect(sameDay.greeting).toContain("Streak: 1 day, and today is done.");
    expect(sameDay.greeting).toContain("No reviews are due.");

    clock.advance(20 * 3_600_000); // the next day: the card answered is due again
    const nextDay = await terminal();
    expect(nextDay.greeting).toContain("1 review due now: /review.");
    expect(nextDay.greeting).toContain("Streak: 1 day; answer a question today to keep it.");
  });
});
