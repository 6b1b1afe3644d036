// ltijs ships no types; this declares only what bench/servers/bare-ltijs.server.ts uses.
declare module 'ltijs' {
  import type { Express, NextFunction, Request, Response } from 'express';

  type TokenCallback = (
    token: Record<string, unknown>,
    req: Request,
    res: Response,
    next: NextFunction,
  ) => unknown;

  interface LtijsProvider {
    app: Express;
    setup(
      encryptionKey: string,
      database: { url: string; connection?: Record<string, unknown> },
      options: Record<string, unknown>,
    ): LtijsProvider;
    deploy(options: { serverless: boolean; silent?: boolean }): Promise<boolean>;
    onConnect(callback: TokenCallback): true;
    registerPlatform(platform: Record<string, unknown>): Promise<unknown>;
  }

  export const Provider: LtijsProvider;
}
