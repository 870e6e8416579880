import type { UploaderOptions } from '../../lib/cloudwatch/uploader.js'

/** Uploader settings for unit tests: no creation, no caps, quick retries; `overrides` changes what a test needs. */
export function uploaderOptions (overrides: Partial<UploaderOptions> = {}): UploaderOptions {
  return {
    createLogGroup: false,
    createLogStream: false,
    retentionInDays: undefined,
    logGroupClass: undefined,
    tags: undefined,
    kmsKeyId: undefined,
    deletionProtection: false,
    entity: undefined,
    maxPutsPerSecond: 0,
    maxConcurrentPuts: 4,
    requestTimeout: 1000,
    retryBaseDelay: 1,
    retryMaxDelay: 5,
    ...overrides
  }
}
