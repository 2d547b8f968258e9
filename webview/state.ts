// View state that survives the editor being hidden and shown again (the page is rebuilt then)
// and VS Code restarts: a JSON object kept with the webview's getState/setState.

/** The part of the VS Code webview API that stores state (a test double provides the same). */
export interface StateStore {
  getState(): unknown;
  setState(state: unknown): void;
}

export interface Persisted<T> {
  get(): T;
  set(value: T): void;
}

export interface PersistedState {
  /** A value under `key`, `defaultValue` until set (or when the stored value has another type). */
  persisted<T>(key: string, defaultValue: T): Persisted<T>;
  /** The same store with every key prefixed, so views cannot clash. */
  scoped(prefix: string): PersistedState;
}

export function createPersistedState(store: StateStore, prefix = ''): PersistedState {
  const read = (): Record<string, unknown> => {
    const s = store.getState();
    return typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
  };
  return {
    persisted<T>(key: string, defaultValue: T): Persisted<T> {
      const full = prefix + key;
      return {
        get(): T {
          const v = read()[full];
          if (v === undefined) return defaultValue;
          if (defaultValue !== null && defaultValue !== undefined && typeof v !== typeof defaultValue) return defaultValue;
          return v as T;
        },
        set(value: T): void {
          store.setState({ ...read(), [full]: value });
        },
      };
    },
    scoped(p: string): PersistedState {
      return createPersistedState(store, prefix + p + ':');
    },
  };
}
