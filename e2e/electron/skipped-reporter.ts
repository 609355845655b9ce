// The reporter of a run without the Electron binary: every test skips itself (fixtures.ts), and
// instead of one line per skipped test this prints one line for the suite, with the reason.
// Anything that does go wrong (a spec that fails to load, a test that did not skip) is still
// printed in full.
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError, TestResult } from '@playwright/test/reporter';

export default class SkippedSuiteReporter implements Reporter {
  private readonly reason: string;
  private total = 0;
  private skipped = 0;
  private problems = 0;

  constructor(options: { reason?: string } = {}) {
    this.reason = options.reason ?? 'the Electron binary is missing';
  }

  printsToStdio(): boolean {
    return true;
  }

  onBegin(_config: FullConfig, suite: Suite): void {
    this.total = suite.allTests().length;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status === 'skipped') {
      this.skipped += 1;
      return;
    }
    if (result.status === 'passed') return;
    this.problems += 1;
    console.log(`✘ ${test.titlePath().filter(Boolean).join(' › ')}: ${result.status}`);
    for (const error of result.errors) console.log(error.stack ?? error.message ?? String(error.value));
  }

  onError(error: TestError): void {
    this.problems += 1;
    console.log(`✘ ${error.stack ?? error.message ?? String(error.value)}`);
  }

  onEnd(result: FullResult): void {
    const extra = this.problems > 0 ? ` — ${this.problems} problem(s) above, status ${result.status}` : '';
    console.log(`Electron end-to-end suite skipped (${this.skipped} of ${this.total} tests): ${this.reason}.${extra}`);
  }
}
