import type * as vscode from 'vscode';
import { registerRunFeature } from './run/register.js';
import { registerParamsFeature } from './params/register.js';
import { registerFunctionFeature } from './function/register.js';
import { registerCompareFeature } from './compare/register.js';

/**
 * Host-side features that answer webview requests (statistics, inference, explanations). Each
 * feature module exports a function that calls `registerRequestHandler` (src/vscode/requests.ts)
 * for its methods and returns the registrations; list those functions here. Owned by the
 * integrator, so features plug in without touching the editor's files.
 */
const features: Array<(context: vscode.ExtensionContext) => vscode.Disposable[]> = [
  (context) => [registerParamsFeature(context)],
  registerRunFeature,
  registerFunctionFeature,
  registerCompareFeature,
];

/** Registers every feature's request handlers for the extension's lifetime. */
export function registerFeatures(context: vscode.ExtensionContext): void {
  for (const register of features) context.subscriptions.push(...register(context));
}
