/**
 * Word lists and enums for the synthetic Gleap data. Enum arrays are indexed by the codes
 * stored in the table columns, so their order is part of the data format: append only.
 */
export const TICKET_TYPES = ['BUG', 'FEATURE_REQUEST', 'INQUIRY', 'CRASH', 'RATING'] as const;
export const TICKET_TYPE_WEIGHTS = [0.2, 0.1, 0.58, 0.04, 0.08];
export const TICKET_STATUSES = ['OPEN', 'INPROGRESS', 'PLANNED', 'DONE', 'CLOSED'] as const;
/** Statuses that mean the ticket is closed (it has a closedAt). */
export const CLOSED_STATUSES = new Set<string>(['DONE', 'CLOSED']);
export const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH'] as const;
export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
export const TICKET_CHANNELS = ['widget', 'email', 'whatsapp', 'messenger', 'instagram', 'api'] as const;
export const MESSAGE_TYPES = ['COMMENT', 'NOTE'] as const;
export const MESSAGE_STATUSES = ['SENT', 'DELIVERED', 'READ'] as const;
export const MESSAGE_RATINGS = [null, 'positive', 'negative'] as const;
export const TICKET_TAGS = ['billing', 'login', 'mobile', 'onboarding', 'performance', 'integrations', 'vip', 'refund'] as const;
export const SESSION_TAGS = ['trial', 'enterprise', 'beta-tester', 'churn-risk', 'newsletter', 'partner'] as const;
export const LANGS = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl'] as const;
export const LANG_WEIGHTS = [0.55, 0.14, 0.08, 0.08, 0.04, 0.04, 0.04, 0.03];
export const PLANS = ['free', 'starter', 'pro', 'business', 'enterprise'] as const;
export const PLAN_WEIGHTS = [0.35, 0.25, 0.22, 0.12, 0.06];
export const PLAN_VALUES = [0, 19, 49, 199, 999];
export const PLATFORMS = ['web', 'iOS', 'Android'] as const;
export const PLATFORM_WEIGHTS = [0.62, 0.22, 0.16];
export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet'] as const;
export const TEAM_NAMES = [
  'Support', 'Billing', 'Technical Support', 'Onboarding', 'Enterprise Success', 'Mobile', 'Integrations',
  'Escalations', 'EMEA Support', 'APAC Support', 'Americas Support', 'Product', 'QA', 'Account Management',
  'Partner Success', 'Security', 'Payments', 'Developer Relations', 'Trust & Safety', 'VIP Care',
] as const;
export const ASSIGNMENT_METHODS = ['random', 'balanced', 'manual', 'circular'] as const;
export const AGENT_ROLES = ['ADMIN', 'MANAGER', 'AGENT'] as const;
export const SURVEY_KINDS = ['nps', 'csat', 'ces', 'custom'] as const;
export const SURVEY_STATUSES = ['live', 'draft', 'paused'] as const;

export const FIRST_NAMES = [
  'Anna', 'Ben', 'Chloe', 'David', 'Elena', 'Felix', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Liam', 'Mia',
  'Noah', 'Olivia', 'Paul', 'Quinn', 'Rosa', 'Sam', 'Tara', 'Umar', 'Vera', 'Will', 'Xenia', 'Yusuf', 'Zoe',
  'Aiko', 'Bruno', 'Carmen', 'Dmitri', 'Emma', 'Farah', 'Giulia', 'Hannah', 'Ivan', 'Julia', 'Kenji', 'Lena',
  'Mateo', 'Nora', 'Oscar', 'Priya', 'Rafael', 'Sofia', 'Tom', 'Valentina', 'Wei', 'Yara',
] as const;
export const LAST_NAMES = [
  'Müller', 'Smith', 'Garcia', 'Rossi', 'Dubois', 'Nowak', 'Jensen', 'Silva', 'Kowalski', 'Novak', 'Schmidt',
  'Johnson', 'Martin', 'Bernard', 'Fischer', 'Weber', 'Lopez', 'Brown', 'Taylor', 'Andersen', 'Tanaka', 'Kim',
  'Patel', 'Nguyen', 'Costa', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Schulz', 'Moreau', 'Laurent', 'Ricci',
] as const;
export const COMPANIES = [
  'Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark Industries', 'Wayne Enterprises',
  'Tyrell', 'Cyberdyne', 'Soylent', 'Wonka', 'Aperture', 'Black Mesa', 'Massive Dynamic', 'Oscorp', 'Pied Piper',
  'Gringotts', 'Monsters Inc', 'Nakatomi', 'Dunder Mifflin', 'Prestige Worldwide', 'Bluth Company', 'Rekall',
] as const;
export const CITIES = [
  'Berlin, Germany', 'Vienna, Austria', 'Paris, France', 'London, United Kingdom', 'New York, United States',
  'San Francisco, United States', 'Madrid, Spain', 'Milan, Italy', 'Amsterdam, Netherlands', 'Warsaw, Poland',
  'Lisbon, Portugal', 'Zurich, Switzerland', 'Toronto, Canada', 'Sydney, Australia', 'Tokyo, Japan',
  'São Paulo, Brazil', 'Bangalore, India', 'Singapore, Singapore',
] as const;
export const EMAIL_DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me', 'icloud.com', 'gmx.de'] as const;

export const PRODUCT_AREAS = [
  'checkout', 'login screen', 'dashboard', 'export', 'search', 'notifications', 'settings page', 'invoice PDF',
  'mobile app', 'calendar sync', 'file upload', 'team invites', 'reports', 'onboarding flow', 'API',
] as const;
export const BUG_TEMPLATES = [
  '{area} crashes when I click save', '{area} is not loading', 'Error 500 on the {area}', '{area} shows wrong data',
  'Button missing on the {area}', 'Cannot scroll in the {area}', '{area} is very slow today', 'Typo on the {area}',
] as const;
export const FEATURE_TEMPLATES = [
  'Dark mode for the {area}', 'Export the {area} to CSV', 'Keyboard shortcuts in the {area}', 'Bulk edit in the {area}',
  'Slack notifications for the {area}', 'Custom fields in the {area}', 'Filter by date in the {area}',
] as const;
export const INQUIRY_TEMPLATES = [
  'Question about my invoice', 'How do I reset my password?', 'Can I change my plan?', 'Refund request',
  'Problem with the {area}', 'How do I invite my team?', 'Where can I find the {area}?', 'Cancel my subscription',
  'Is there an API for the {area}?', 'Data export request', 'Login does not work', 'Billing address change',
] as const;
/** How a customer opens a conversation (the ticket's description and first message). */
export const OPENING_LINES = [
  'Hi, I have a problem with the {area}.', 'Hello, the {area} stopped working for me this morning.',
  'Hi team, quick question about the {area}.', 'The {area} keeps showing an error when I try to use it.',
  'Could you help me with the {area}? I cannot find what I need.', 'Since the last update the {area} is broken.',
] as const;
export const CUSTOMER_LINES = [
  'It worked yesterday but not anymore.', 'Any update on this?',
  'Thanks, that fixed it!', 'I tried that, still the same.', 'Here is a screenshot.', 'This is urgent for us.',
  'Could you check my account please?', 'I am using the latest version.', 'Great, thank you so much!',
  'It happens on every device.', 'When will this be available?',
] as const;
export const AGENT_LINES = [
  'Thanks for reaching out! Let me look into this.', 'Could you send us a screenshot of the {area}?',
  'I have forwarded this to our engineering team.', 'This should be fixed now, could you try again?',
  'I have updated your account, you should see the change right away.', 'Happy to help! Anything else?',
  'We have added this to our roadmap.', 'Sorry for the trouble, we are on it.', 'Could you clear your cache and retry?',
] as const;
export const NOTE_LINES = [
  'Escalated to engineering.', 'Customer is on the enterprise plan, prioritise.', 'Duplicate of an older report.',
  'Checked the logs, no errors on our side.', 'Waiting for the next release.', 'Refund approved by finance.',
] as const;
export const BOT_LINES = [
  'Hi! I am Kai, the AI assistant. Here is what I found about the {area}.',
  'You can change this under Settings > {area}. Did that help?',
  'I could not find an answer, let me connect you with our team.',
  'Here are the steps to fix this in the {area}.',
] as const;
export const TEMPLATE_TITLES = [
  'Greeting', 'Closing', 'Refund approved', 'Password reset steps', 'Known issue', 'Escalated to engineering',
  'Feature request noted', 'Plan upgrade', 'Invoice resend', 'Need more details', 'Bug fixed', 'Out of office',
  'Cancellation confirmation', 'Data export ready', 'Security question', 'Follow-up', 'Thanks for feedback',
  'Onboarding call', 'Maintenance window', 'Survey thanks', 'API limits', 'Mobile app update',
] as const;
export const SURVEY_QUESTIONS: Record<string, string> = {
  nps: 'How likely are you to recommend us to a friend or colleague?',
  csat: 'How satisfied are you with our support?',
  ces: 'How easy was it to get your issue resolved?',
  custom: 'What should we improve next?',
};
export const SURVEY_COMMENTS = [
  'Great product!', 'Support was fast and friendly.', 'Too expensive for small teams.', 'The mobile app needs work.',
  'Love the new dashboard.', 'Please add more integrations.', 'Took too long to get an answer.', 'Keep it up!',
] as const;
export const PAGES = ['/dashboard', '/settings', '/billing', '/reports', '/projects', '/onboarding', '/help', '/account'] as const;
export const BROWSERS = ['Chrome 131', 'Safari 18', 'Firefox 133', 'Edge 131'] as const;
export const OSES = ['macOS 15', 'Windows 11', 'iOS 18', 'Android 15', 'Ubuntu 24.04'] as const;
export const EVENT_NAMES = ['pageView', 'signedIn', 'projectCreated', 'invoicePaid', 'featureUsed', 'exportDownloaded'] as const;
