/** The JobPlanner port on BullMQ: one-off delayed jobs with deterministic ids. */
import type { Queue } from "bullmq";
import type { Platform } from "../../core/identity.js";
import type { JobPlanner } from "../../core/ports.js";
import { DELIVERY_JOB_OPTIONS, deliveryJobId, type DeliveryJob } from "./job-types.js";

export class BullJobPlanner implements JobPlanner {
  constructor(
    private readonly queues: Record<Platform, Queue>,
    private readonly clock: { now(): Date },
    /** Which platform's queue a session or challenge belongs to. */
    private readonly platformOf: (kind: "drill" | "challenge", id: string) => Promise<Platform | null>,
  ) {}

  private async add(platform: Platform | null, job: DeliveryJob, at: Date): Promise<void> {
    if (!platform) return;
    const delay = Math.max(0, at.getTime() - this.clock.now().getTime());
    await this.queues[platform].add(job.kind, job, { ...DELIVERY_JOB_OPTIONS, jobId: deliveryJobId(job), delay });
  }

  async closeDrillAt(sessionId: string, at: Date): Promise<void> {
    await this.add(await this.platformOf("drill", sessionId), { kind: "close-drill", sessionId }, at);
  }

  async closeChallengeAt(challengeId: string, at: Date): Promise<void> {
    await this.add(await this.platformOf("challenge", challengeId), { kind: "close-challenge", challengeId }, at);
  }
}
