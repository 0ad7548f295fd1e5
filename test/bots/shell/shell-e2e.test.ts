import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), "drillbot-shell-"));
  dirs.push(d);
  return d;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI with piped stdin, as `printf ... | npm start` would. */
function drillbot(args: string[], input: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      tsx,
      [path.join(root, "bots/main.ts"), ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env }, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

describe("the terminal shell, end to end", () => {
  it("teaches, quizzes, explains, counts the streak, and remembers it all after a restart", async () => {
    const env = { DRILLBOT_DATA_DIR: tempDir(), DRILLBOT_CONTENT_DIR: path.join(root, "test/fixtures/content") };
    const first = await drillbot(["--user", "alice"], "/learn\n/quiz alpha 1\n2\n/streak\n/leaderboard\n", env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Lesson 1/2: Alpha basics");
    expect(first.stdout).toContain("question 1 of 1");
    expect(first.stdout).toMatch(/Correct!|Not quite\./);
    expect(first.stdout).toContain("Why: ");
    expect(first.stdout).toContain("streak: 1 day");
    expect(first.stdout).toMatch(/1\. alice\s+\d+\s+<- you/);
    const points = /total (\d+)\)/.exec(first.stdout)?.[1];

    const second = await drillbot(["--user", "alice"], "/streak\n/stats\n", env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("streak: 1 day");
    expect(second.stdout).toContain(`points: ${points}`);
    expect(second.stdout).toContain("answered: 1");
  });

  it("/stats and /team print block-character charts and write their PNGs under the data folder; /team export writes the CSV; the CLI exports too", async () => {
    const dataDir = tempDir();
    const env = { DRILLBOT_DATA_DIR: dataDir, DRILLBOT_CONTENT_DIR: path.join(root, "test/fixtures/content") };
    const run = await drillbot(["--user", "alice"], "/quiz alpha 1\n1\n/stats\n/team\n/settings private on\n/team export\n", env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("less ·░▒▓█ more");
    expect(run.stdout).toMatch(/█ mastered \d+%/);
    const pictures = [...run.stdout.matchAll(/Picture: (\S+\.png)/g)].map((m) => m[1]!);
    expect(pictures.map((p) => path.basename(p))).toEqual(["alice-drillbot-activity.png", "alice-drillbot-mastery.png", "alice-drillbot-team-weeks.png", "alice-drillbot-team-mastery.png"]);
    for (const file of pictures) {
      expect(file.startsWith(path.join(dataDir, "charts"))).toBe(true);
      const png = PNG.sync.read(readFileSync(file));
      expect(png.width).toBeGreaterThan(400);
      expect(new Set(Array.from({ length: 400 }, (_, i) => png.data.readUInt32BE(4 * Math.floor((i * png.data.length) / 1600)))).size).toBeGreaterThan(2);
    }
    const csvPath = /Saved to (\S+\.csv)/.exec(run.stdout)?.[1];
    expect(csvPath).toBeDefined();
    const csv = readFileSync(csvPath!, "utf8");
    expect(csv).toContain("section,id,name,answers");
    expect(csv).toContain("anonymous");
    expect(csv).not.toContain("alice");

    const cli = await drillbot(["team", "export", "--workspace", "shell:local"], "", env);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain("learner,,anonymous,1,");
    const bad = await drillbot(["team", "export", "--workspace", "slack"], "", env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("is not a workspace id");
  });

  it("a quiz left open resumes after a restart, and the first answer after it is not graded unseen", async () => {
    const env = { DRILLBOT_DATA_DIR: tempDir(), DRILLBOT_CONTENT_DIR: path.join(root, "test/fixtures/content") };
    await drillbot(["--user", "bo"], "/quiz alpha 2\n1\n", env);
    const again = await drillbot(["--user", "bo"], "1\n1\n", env);
    expect(again.stdout).toContain("Unfinished quiz (Quiz: Alpha basics): question 2 of 2. Type /quiz to continue.");
    // The first "1" had no question on screen: it shows the open one instead of grading it.
    expect(again.stdout).toContain("No question is on screen here, so that answer was not graded.");
    expect(again.stdout.match(/You answered: /g)).toHaveLength(1);
    expect(again.stdout).toContain("Done: Quiz: Alpha basics");
  });

  it("an unknown command, a bad choice and a bad zone get short answers and the shell goes on", async () => {
    const env = { DRILLBOT_DATA_DIR: tempDir(), DRILLBOT_CONTENT_DIR: path.join(root, "test/fixtures/content") };
    const run = await drillbot(["--user", "cy"], "/dance\n3\n/quiz alpha 1\n9\n/tz Nowhere/Land\n/stats\n", env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Unknown command "/dance"');
    expect(run.stdout).toContain("There is no open question");
    expect(run.stdout).toContain('"9" is not a choice: type a number from 1-3.');
    expect(run.stdout).toContain('"Nowhere/Land" is not a time zone I know');
    expect(run.stdout).toContain("answered: 0");
  });

  it("an admin challenge posted in the terminal can be answered there, once", async () => {
    const env = { DRILLBOT_DATA_DIR: tempDir(), DRILLBOT_CONTENT_DIR: path.join(root, "test/fixtures/content") };
    const run = await drillbot(["--user", "dee"], "/challenge write 30m Which letter is first? | Beta | *Alpha | Gamma | Alpha starts the alphabet.\n1\n2\n/stats\n", env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Challenge from dee");
    expect(run.stdout).toContain("Alpha starts the alphabet.");
    expect(run.stdout).toContain("There is no open question"); // the second answer: the challenge was answered, no quiz is open
    expect(run.stdout).toContain("answered: 1");
  });

  it("an unknown flag, a zone abbreviation or an unusable name is refused with usage before anything starts", async () => {
    const env = { DRILLBOT_DATA_DIR: tempDir(), DRILLBOT_CONTENT_DIR: path.join(root, "test/fixtures/content") };
    const bogus = await drillbot(["--user", "ann", "--bogus"], "", env);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain('"--bogus" is not an option of the shell. Usage: drillbot [shell] [--user NAME] [--tz ZONE]');
    const est = await drillbot(["--tz", "EST"], "", env);
    expect(est.code).toBe(2);
    expect(est.stderr).toContain("America/New_York");
    const long = await drillbot(["--user", "x".repeat(65)], "", env);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain("use 1-64 visible characters");
    expect(long.stderr).not.toContain("x".repeat(41));
  });

  it("without a redis-server binary it says how to install one and exits non-zero", async () => {
    const run = await drillbot([], "", { DRILLBOT_DATA_DIR: tempDir(), DRILLBOT_CONTENT_DIR: path.join(root, "test/fixtures/content"), REDIS_SERVER_BIN: "/nonexistent/redis-server" });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("apt-get install redis-server");
    expect(run.stderr).toContain("REDIS_URL");
  });

  it("a broken content file stops start-up and names the file and field", async () => {
    const content = tempDir();
    cpSync(path.join(root, "test/fixtures/content"), content, { recursive: true });
    const file = path.join(content, "packs/mini/lessons/01-alpha.yaml");
    const { readFileSync } = await import("node:fs");
    writeFileSync(file, readFileSync(file, "utf8").replace("answer: b", "answer: e"));
    const run = await drillbot([], "", { DRILLBOT_DATA_DIR: tempDir(), DRILLBOT_CONTENT_DIR: content });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('packs/mini/lessons/01-alpha.yaml: questions[0].answer: "e" is not one of the option ids a, b, c');
  });

  it("the installed bin runs the same CLI", async () => {
    const run = await new Promise<Run>((resolve) => {
      execFile(process.execPath, [path.join(root, "bin/drillbot.js"), "content", "check", "--json"], { cwd: root, env: { PATH: process.env.PATH ?? "", DRILLBOT_CONTENT_DIR: path.join(root, "test/fixtures/content") } }, (err, stdout, stderr) =>
        resolve({ code: err ? 1 : 0, stdout, stderr }),
      );
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ lessons: 2, questions: 7 });
  });

  it("content check reports the counts and answer-cue figures as JSON", async () => {
    const run = await drillbot(["content", "check", "--json"], "", { DRILLBOT_CONTENT_DIR: path.join(root, "test/fixtures/content") });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
    expect(report).toMatchObject({ packs: 1, lessons: 2, questions: 7, concepts: 2 });
    expect(Object.keys(report.cues).sort()).toEqual(["lengthRatioMedian", "longestCorrectShare", "multiSameCountShare", "trueShare"]);
  });
});
