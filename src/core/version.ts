// mcpgw's version: the CLI's --version and the build_info metric report the same one.
export const VERSION = '0.1.0';
