// What the IPC router needs from the workflow: the commands and events of Helper W's
// CompanionService (main/workflow/companion-service.ts), nothing of its lifecycle.
// Picked from that interface, so the router and the service cannot drift apart.
import type { CompanionService } from '../workflow/companion-service';

export type RoutedService = Pick<
  CompanionService,
  | 'snapshot'
  | 'onSnapshot'
  | 'onNotice'
  | 'submitActivationCode'
  | 'submitNewPin'
  | 'submitPin'
  | 'changePin'
  | 'setPin'
  | 'cancelPrompt'
  | 'retryKey'
  | 'forgetKey'
  | 'setServerUrl'
  | 'checkServer'
>;
export type { CompanionService };
