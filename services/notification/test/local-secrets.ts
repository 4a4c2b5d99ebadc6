import { NotificationConfig, secretSealer } from '../src/config';

/** The configuration the repositories get in tests: the local sealing key, providers played on loopback. */
export const TEST_CONFIG = new NotificationConfig({ PROVIDER_HOSTS: '127.0.0.1,localhost' });
export const LOCAL_SEALER = secretSealer(TEST_CONFIG);
