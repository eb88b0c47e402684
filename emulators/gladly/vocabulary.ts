/** Word lists for generated records. Some entries carry quotes, accents, emoji, a line
 * separator (U+2028) or an embedded newline: valid JSON that trips naive line splitters. */
export const FIRST_NAMES = [
  'Martha', 'Amy', 'Jonas', 'Priya', 'Luis', 'Chen', 'Fatima', 'Noah', 'Olga', 'Kwame', 'Sofía',
  'Hiroshi', 'Emma', 'Mateo', 'Aisha', 'Liam', 'Zoë', 'Ravi', 'Ingrid', 'Tomás', "D'Arcy", 'Björn',
];
export const LAST_NAMES = [
  'Williams', 'Agent', 'Schmidt', 'Patel', 'García', 'Wang', 'Haddad', 'Smith', 'Ivanova', 'Mensah',
  'Rossi', 'Tanaka', 'Brown', 'López', "O'Neil", 'Nguyen', 'Kowalski', 'Dubois', 'Andersen', 'Okafor',
];
export const EMAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'proton.me', 'example.org'];
export const STREETS = [
  'Rigoberto Station', 'Market Street', 'Elm Avenue', 'Rue de la Paix', 'Hauptstraße', 'Sunset Blvd',
  'Calle Mayor', 'Baker Street', 'Queen St W', 'Ocean Drive',
];
export const EXTERNAL_SYSTEMS = ['ABC12345', 'shopify', 'salesforce', 'zuora', 'loyaltyId'];

export const TOPIC_NAMES = [
  'Order Returns', 'Shipping Delay', 'Billing', 'Account Upgrade', 'Damaged Item', 'Loyalty Program',
  'Password Reset', 'Product Question', 'Cancellation', 'Refund Status', 'Warranty', 'Gift Cards',
  'Subscription', 'Address Change', 'Promo Code', 'Feedback', 'Store Hours', 'Exchange', 'Sizing', 'Other',
];

export const CUSTOMER_TEXTS = [
  "Hi! I know it's after hours but can someone help upgrade my account?",
  'Part of my order was damaged. May I get a refund for those items?',
  "I haven't received my order yet. Can you check on the status?",
  'I love your brand! Do you have a loyalty program?',
  'My promo code "SPRING25" says it is expired 😕',
  'Can I change the shipping address on order #48213?',
  'The package arrived but the box was empty.\nPhotos attached.',
  'Est-ce que vous livrez en Belgique ? Merci !',
  'I was charged twice\u2028please help',
  'Where is my refund? It has been 10 days.',
  'Thanks, that fixed it 🙏',
];
export const AGENT_TEXTS = [
  'I would be happy to help you! We need a few details, so please give us a call this morning.',
  'Thanks for reaching out. I have issued a refund; it should show within 3–5 business days.',
  'I am sorry about that! A replacement is on its way, tracking number to follow.',
  'Could you confirm the email address on the order?',
  'Your account has been upgraded. Enjoy!',
  'I have updated the address. Anything else I can do for you today?',
];
export const NOTE_TEXTS = [
  'Customer has requested more information about our loyalty program.',
  'Escalated to tier 2 — waiting on warehouse confirmation.',
  'VIP customer, offer free shipping on the replacement.',
  'Duplicate charge confirmed in Stripe; refund issued.',
];
export const SUBJECTS = ['Account upgrade', 'My order', 'Refund request', 'Re: Your order #48213', 'Question about sizing', 'Damaged item'];
export const CALL_SUMMARIES = [
  'The customer calls to exchange an item. The representative arranges a replacement.',
  'The customer asks about a late delivery; the agent provides a new estimate.',
  'The customer wants to cancel a subscription and receives a confirmation number.',
];
export const VOICE_AI_TEXTS = [
  'Thanks for calling. How can I help you today?',
  'I can help with that. Can you tell me your order number?',
  'Let me transfer you to an agent who can help.',
];
export const ACTIVITY_TITLES = ['Welcome to Gladly!', 'Order shipped', 'Survey completed', 'Support ticket opened'];
export const ACTIVITY_SOURCES = ['HubSpot', 'Shopify', 'Zendesk', 'Qualtrics'];
export const ATTACHMENT_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['image/png', 'png'], ['image/jpeg', 'jpg'], ['application/pdf', 'pdf'], ['text/plain', 'txt'],
];
