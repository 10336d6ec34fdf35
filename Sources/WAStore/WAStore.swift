/// The engine's SQLite store: one database per linked account.
public enum WAStore {}
