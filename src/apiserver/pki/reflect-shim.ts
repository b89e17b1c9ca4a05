// @peculiar/x509 registers its algorithms with tsyringe, which needs a Reflect metadata polyfill
// loaded before it (ESM evaluates imports in order). Import this module before '@peculiar/x509'.
import 'reflect-metadata';
