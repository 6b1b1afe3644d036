// ltijs ships no types; this declares only what src/lti uses.
declare module 'ltijs' {
  import type { Express, NextFunction, Request, Response } from 'express';

  interface LtijsPlatform {
    platformId(): Promise<string>;
    platformKid(): Promise<string>;
    platformActive(active?: boolean): Promise<boolean>;
    platformAuthConfig(method?: string, key?: unknown): Promise<{ method: string; key: unknown }>;
    platformJSON(): Promise<Record<string, unknown>>;
  }

  type Callback = (req: Request, res: Response, next: NextFunction) => unknown;
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
    close(options?: { silent?: boolean }): Promise<boolean>;
    onConnect(callback: TokenCallback): true;
    onDeepLinking(callback: TokenCallback): true;
    onInvalidToken(callback: Callback): true;
    onSessionTimeout(callback: Callback): true;
    onUnregisteredPlatform(callback: Callback): true;
    onInactivePlatform(callback: Callback): true;
    registerPlatform(platform: Record<string, unknown>): Promise<LtijsPlatform>;
    getPlatform(url: string, clientId: string): Promise<LtijsPlatform | false>;
    deletePlatform(url: string, clientId: string): Promise<boolean>;
  }

  export const Provider: LtijsProvider;
}

// ltijs' token validation (dist/Utils/Auth.js), wrapped by src/lti/provider.ts so it reuses Rounds' verified key.
declare module 'ltijs/dist/Utils/Auth' {
  type GetPlatform = (...args: unknown[]) => Promise<unknown>;
  const Auth: {
    validateToken(
      token: string,
      devMode: boolean,
      validationParameters: unknown,
      getPlatform: GetPlatform,
      encryptionKey: string,
      database: unknown,
    ): Promise<unknown>;
  };
  export = Auth;
}
