// The IPC handler module (DESIGN §1, §9): a thin map from the contract's channels onto engine calls and
// session settings. No Electron here: the dialogs come in as functions, the caller's events go out
// through `emit`, so the app (ipc-register.ts) and the end-to-end harness serve the very same handlers.
// Requests are parsed at this boundary: the renderer is not trusted to send well-formed values.

import { z } from 'zod';
import type { BundleKind, EventChannel, EventContract, InvokeChannel, InvokeRequest, InvokeResponse, VerifyOutcome } from '../../shared/ipc-contract.js';
import { verify as engineVerify, type VerifyOptions } from '../engine/verify.js';
import type { Report } from '../../shared/report.js';
import type { SettingsStore } from './settings-store.js';

export interface Dialogs {
  chooseBundle(kind: BundleKind): Promise<string | null>;
  chooseTrustDir(): Promise<string | null>;
  choosePolicy(): Promise<string | null>;
}

export interface IpcHandlerDeps {
  readonly settings: SettingsStore;
  readonly dialogs: Dialogs;
  /** The engine's `verify`; replaceable only so that a test can observe the options it is given. */
  readonly verify?: (source: string, options: VerifyOptions) => Promise<Report>;
  readonly tempParent?: string;
  /** Clock for the reports' `generatedAt` (fixed in tests, for stable screenshots). */
  readonly now?: (() => Date) | undefined;
  /** Monotonic milliseconds, for progress timing. */
  readonly clock?: () => number;
}

/** The caller of one request: events it should receive go through `emit`. */
export interface CallerContext {
  emit<E extends EventChannel>(channel: E, payload: EventContract[E]): void;
}

export type IpcHandlers = {
  readonly [C in InvokeChannel]: (request: unknown, caller: CallerContext) => Promise<InvokeResponse<C>>;
};

const path = z.string().min(1).max(4096).refine((s) => !s.includes('\0'), 'NUL in path');
const jobId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);
const requestSchemas: { readonly [C in InvokeChannel]: z.ZodType<InvokeRequest<C>> } = {
  'settings:get': z.null(),
  'settings:forget-recent': z.object({ source: path }).strict(),
  'settings:clear-trust': z.null(),
  'dialog:choose-bundle': z.object({ kind: z.enum(['directory', 'archive']) }).strict(),
  'dialog:choose-trust': z.null(),
  'dialog:choose-policy': z.null(),
  'verify:run': z.object({ jobId, source: path }).strict(),
  'verify:cancel': z.object({ jobId }).strict(),
};

export class IpcRequestError extends Error {}

function parse<C extends InvokeChannel>(channel: C, request: unknown): InvokeRequest<C> {
  const result = requestSchemas[channel].safeParse(request ?? null);
  if (!result.success) throw new IpcRequestError(`invalid request on ${channel}: ${result.error.issues.map((i) => i.message).join('; ')}`);
  return result.data;
}

export interface IpcService {
  readonly handlers: IpcHandlers;
  /** Aborts every running verification (the window closed, or the app is quitting). */
  cancelAll(): void;
}

export function createIpcHandlers(deps: IpcHandlerDeps): IpcService {
  const { settings, dialogs } = deps;
  const verify = deps.verify ?? engineVerify;
  const clock = deps.clock ?? (() => performance.now());
  const running = new Map<string, AbortController>();

  async function run(request: InvokeRequest<'verify:run'>, caller: CallerContext): Promise<VerifyOutcome> {
    if (running.has(request.jobId)) return { kind: 'error', message: `A verification with id ${request.jobId} is already running` };
    const { trustDir, policyPath } = await settings.get();
    if ((trustDir === null) !== (policyPath === null)) {
      return { kind: 'error', message: 'Choose both a trust store and a policy (or neither): the policy names keys that only the trust store holds.' };
    }
    const controller = new AbortController();
    running.set(request.jobId, controller);
    const started = clock();
    try {
      await settings.recordOpened(request.source, null);
      if (controller.signal.aborted) return { kind: 'cancelled' };
      const report = await verify(request.source, {
        trustDir: trustDir ?? undefined,
        policyPath: policyPath ?? undefined,
        signal: controller.signal,
        tempParent: deps.tempParent,
        now: deps.now,
        onProgress: (p) => caller.emit('verify:progress', { jobId: request.jobId, ...p, elapsedMs: Math.max(0, clock() - started) }),
      });
      await settings.recordOpened(request.source, report.verdict);
      return { kind: 'report', report };
    } catch (error) {
      if (controller.signal.aborted) return { kind: 'cancelled' };
      return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    } finally {
      running.delete(request.jobId);
    }
  }

  const handlers: IpcHandlers = {
    'settings:get': async (request) => {
      parse('settings:get', request);
      return settings.get();
    },
    'settings:forget-recent': async (request) => settings.forgetRecent(parse('settings:forget-recent', request).source),
    'settings:clear-trust': async (request) => {
      parse('settings:clear-trust', request);
      await settings.setTrustDir(null);
      return settings.setPolicyPath(null);
    },
    'dialog:choose-bundle': async (request) => dialogs.chooseBundle(parse('dialog:choose-bundle', request).kind),
    'dialog:choose-trust': async (request) => {
      parse('dialog:choose-trust', request);
      const chosen = await dialogs.chooseTrustDir();
      return chosen === null ? settings.get() : settings.setTrustDir(chosen);
    },
    'dialog:choose-policy': async (request) => {
      parse('dialog:choose-policy', request);
      const chosen = await dialogs.choosePolicy();
      return chosen === null ? settings.get() : settings.setPolicyPath(chosen);
    },
    'verify:run': async (request, caller) => run(parse('verify:run', request), caller),
    'verify:cancel': async (request) => {
      const controller = running.get(parse('verify:cancel', request).jobId);
      if (controller === undefined) return false;
      controller.abort(new DOMException('Cancelled by the user', 'AbortError'));
      return true;
    },
  };
  return {
    handlers,
    cancelAll: () => {
      for (const controller of running.values()) controller.abort(new DOMException('The window closed', 'AbortError'));
    },
  };
}
