import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Small files in the real formats (SkyPilot catalogs, Alibaba traces, SkyPilot spot traces),
 * written by the tests themselves to a temporary directory. Rows are invented, shaped like the
 * real ones (column order and units differ per catalog, as they do upstream).
 */
export const fixtureContents = {
  vastCatalog: [
    'InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region',
    `1x-H100_SXM-32-65536,H100,1,32,64.0,"{'Gpus': [{'Name': 'H100', 'Count': 1, 'MemoryInfo': {'SizeInMiB': 81559}}], 'TotalGpuMemoryInMiB': 81559}",1.90,0.00,"Texas, US, NA"`,
    `2x-H100_SXM-32-65536,H100,2,32,64.0,"{'Gpus': [{'Name': 'H100', 'Count': 2, 'MemoryInfo': {'SizeInMiB': 163118}}], 'TotalGpuMemoryInMiB': 163118}",3.70,0.00,"Germany, DE, EU"`,
    `1x-RTX_4090-32-65536,RTX4090,1,32,64.0,"{'Gpus': [{'Name': 'RTX4090', 'Count': 1, 'MemoryInfo': {'SizeInMiB': 24564}}], 'TotalGpuMemoryInMiB': 24564}",0.35,0.00,"California, US, NA"`,
    `1x-Mystery_GPU-32-65536,MysteryGPU,1,32,64.0,"{}",0.10,0.00,"California, US, NA"`,
  ].join('\n'),
  runpodCatalog: [
    'InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Region,SpotPrice,Price',
    '1x_H100_SECURE,H100,1.0,16.0,80.0,H100,US,,4.10',
    '1x_RTX4090_SECURE,RTX4090,1.0,8.0,24.0,RTX4090,US,0.45,0.70',
    '1x_RTX4090_SECURE,RTX4090,1.0,8.0,24.0,RTX4090,SE,0.45,0.70',
    '2x_RTX4090_SECURE,RTX4090,2.0,16.0,48.0,RTX4090,US,0.90,1.40',
  ].join('\n'),
  shadeformCatalog: [
    'InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,Price,Region,GpuInfo,SpotPrice',
    `cloudalpha_H100,H100,1.0,26.0,200,2.95,dallas-usa-3,"{'Gpus': [{'Name': 'H100', 'Manufacturer': 'NVIDIA', 'Count': 1.0, 'MemoryInfo': {'SizeInMiB': 80}, 'TotalGpuMemoryInMiB': 80}]}",`,
    `cloudbeta_A6000x4,A6000,4.0,56.0,400,3.20,newyork-usa-1,"{'Gpus': [{'Name': 'A6000', 'Manufacturer': 'NVIDIA', 'Count': 4.0, 'MemoryInfo': {'SizeInMiB': 48}, 'TotalGpuMemoryInMiB': 192}]}",`,
  ].join('\n'),
  pods: [
    'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time',
    'pod-0,8000,16384,1,1000,,LS,Running,100,5100,100',
    'pod-1,4000,8192,0,0,,BE,Succeeded,160,400,170',
    'pod-2,4000,8192,1,500,T4|H100,BE,Failed,220,1220,230',
    'pod-3,32000,65536,8,1000,,LS,Pending,400,,',
    'pod-4,8000,16384,2,1000,G2,Burstable,Running,900,4500,950',
  ].join('\n'),
  imageRequests: [
    'gmt_create,predict_type,predict_status,exec_time_seconds,groupId,prompt_length,negative_prompt_length,num_images_per_prompt,num_inference_steps,checkpoint_model_version_id,num_lora',
    '2024-11-20 10:00:00,TXT_2_IMG,SUCCEED,21.0,G1,60.0,20.0,1.0,30.0,M1,0',
    '2024-11-20 10:00:30,IMG_2_IMG,SUCCEED,35.0,G2,80.0,,1.0,40.0,M2,1',
    '2024-11-20 10:05:00,TXT_2_IMG,PENDING,,G1,50.0,10.0,1.0,30.0,M1,0',
  ].join('\n'),
  coldStarts: ['timestamp_anon,value,container_ip', '1000.0,2500.0,aa', '1060.0,24000.0,bb', '1200.0,41000.0,cc'].join('\n'),
  spotTrace: JSON.stringify({ metadata: { gap_seconds: 60 }, data: [1, 1, 1, 0, 0, 1, 1, 1, 1, 0] }),
  preemptionTrace: JSON.stringify({ metadata: { gap_seconds: 30 }, data: [0, 1, 1, 1, 1, 0], prices: [0.9, 0.9, 0.9, 0.9, 0.9, 0.9] }),
} as const;

export type MarketFixture = {
  directory: string;
  prices: string[];
  traces: string[];
  availability: string;
  remove(): Promise<void>;
};

/** Writes the fixture files under a new temporary directory. */
export async function writeMarketFixture(): Promise<MarketFixture> {
  const directory = await mkdtemp(join(tmpdir(), 'aurora-market-'));
  const write = async (name: string, content: string) => {
    const path = join(directory, name);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, `${content}\n`);
    return path;
  };
  const prices = [
    await write('vast_catalog_test.csv', fixtureContents.vastCatalog),
    await write('runpod_catalog_test.csv', fixtureContents.runpodCatalog),
    await write('shadeform_catalog_test.csv', fixtureContents.shadeformCatalog),
  ];
  const traces = [
    await write('pods.csv', fixtureContents.pods),
    await write('image_requests.csv', fixtureContents.imageRequests),
    await write('cold_starts.csv', fixtureContents.coldStarts),
  ];
  await write('spot/availability/zone-a_v100_1.json', fixtureContents.spotTrace);
  await write('spot/preemption/zone-b_v100_1.json', fixtureContents.preemptionTrace);
  return { directory, prices, traces, availability: join(directory, 'spot'), remove: () => rm(directory, { recursive: true, force: true }) };
}
