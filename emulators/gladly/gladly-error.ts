/** Gladly's error body: `{"errors":[{"attr","code","detail"}]}` (attr only when a field is at fault). */
export interface GladlyErrorItem {
  attr?: string;
  code: string;
  detail: string;
}

export const gladlyErrors = (...errors: GladlyErrorItem[]): { errors: GladlyErrorItem[] } => ({ errors });

export const NOT_FOUND = gladlyErrors({ code: 'not_exist', detail: 'entity does not exist' });
