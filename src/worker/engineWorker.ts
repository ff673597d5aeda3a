/// <reference lib="webworker" />
// The engine's home in the browser: tfjs, backend selection and training run here, never on the page.
import * as Comlink from 'comlink';
import { EngineApi } from './engineApi';

Comlink.expose(new EngineApi());
