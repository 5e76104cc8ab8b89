import { contextBridge, ipcRenderer } from 'electron';
import { createHeadroomApi } from './preload-api';

// The preload (built as one CommonJS file for the sandbox): one object on `window.headroom`, nothing else.
contextBridge.exposeInMainWorld('headroom', createHeadroomApi(ipcRenderer));
