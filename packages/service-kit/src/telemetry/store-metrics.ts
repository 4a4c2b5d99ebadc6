import type { Connection } from 'mongoose';
import { metrics } from './metrics';

/** Commands the driver sends on its own to keep the connection pool alive: not work done for anyone. */
const HOUSEKEEPING = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'ping',
  'buildInfo',
  'endSessions',
  'saslStart',
  'saslContinue',
]);

/**
 * Mongoose options that count every command sent to the store (driver command monitoring) in
 * `store_commands_total`: the bench divides them by complaints to show what one complaint costs.
 */
export function countedStoreOptions(): {
  monitorCommands: true;
  connectionFactory: (connection: Connection) => Connection;
} {
  return {
    monitorCommands: true,
    connectionFactory: (connection: Connection) => {
      connection.getClient().on('commandStarted', (event) => {
        if (HOUSEKEEPING.has(event.commandName)) return;
        const target: unknown = event.command[event.commandName];
        metrics.storeCommands.inc({
          command: event.commandName,
          collection: typeof target === 'string' ? target : '',
        });
      });
      return connection;
    },
  };
}

/** A positive whole number from the environment, or `fallback` when unset; anything else stops start-up. */
export function wholeNumberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number of at least 1, not ${JSON.stringify(raw)}`);
  return value;
}
