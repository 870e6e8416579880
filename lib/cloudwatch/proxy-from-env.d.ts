// proxy-from-env ships no types: the one function used, as its README documents it.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from *_PROXY, or '' when none applies (none set, or NO_PROXY matches). */
  export function getProxyForUrl (url: string | URL): string
}
